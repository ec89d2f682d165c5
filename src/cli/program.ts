import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevel } from '../log/logger.js';
import { parseDuration } from '../config/duration.js';
import { PROGRESS_EVERY_MS } from '../pipeline/progress.js';
import { RECEIVER_VERSION } from '../version.js';

// Commands are loaded when chosen: `run` pulls in the metrics SDK and the health server, which
// `once`, `check` and `--help` do not need, and start-up time is time to the first request.
const commands = {
  run: () => import('./run-command.js').then((m) => m.runCommand),
  once: () => import('./once-command.js').then((m) => m.onceCommand),
  check: () => import('./check-command.js').then((m) => m.checkCommand),
  replay: () => import('./replay-command.js').then((m) => m.replayCommand),
  demo: () => import('./demo-command.js').then((m) => m.demoCommand),
};

/** Builds the command tree; `setResult` receives each command's exit code. */
export function buildProgram(setResult: (code: Promise<number>) => void): Command {
  const program = new Command('atlassian-audit-receiver')
    .description('Polls Atlassian audit logs and emits every record as an OpenTelemetry LogRecord over OTLP/HTTP.')
    .version(RECEIVER_VERSION)
    .addOption(new Option('--log-level <level>', 'receiver log verbosity (logs are JSON lines on stderr)').choices(LOG_LEVELS).default('info'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(oneLineError(text)) });

  const globals = () => ({ logLevel: program.opts<{ logLevel: LogLevel }>().logLevel });
  // The demo's stdout is the show; keep its stderr quiet unless a level was asked for.
  const demoGlobals = () => ({ logLevel: program.getOptionValueSource('logLevel') === 'default' ? ('warn' as const) : globals().logLevel });
  const collect = (value: string, previous: string[]) => [...previous, value];
  const configOption = () => new Option('-c, --config <file>', 'YAML configuration file (required)');
  const shardOption = () => new Option('--shard <INDEX/COUNT>', 'run only the sources whose name hashes to shard INDEX of COUNT (e.g. 0/3; overrides shard: in the config)');
  const progressOption = () => new Option('--progress-interval <duration>', 'how often a long catch-up reports progress on stderr (e.g. 10s, 500ms)').argParser(durationArg).default(PROGRESS_EVERY_MS, '10s');
  const resetOption = () => new Option('--reset-checkpoint <source>', 'delete a source\'s checkpoint first so it restarts from initialLookback (repeatable)').argParser(collect).default([]);

  program
    .command('run')
    .description('poll every source on its schedule until SIGTERM/SIGINT; then stop fetching, finish the batch in flight, commit and exit 0')
    .addOption(configOption())
    .addOption(resetOption())
    .addOption(shardOption())
    .addOption(progressOption())
    .action((o: { config: string; resetCheckpoint: string[]; shard?: string; progressInterval: number }) => setResult(commands.run().then((run) => run({ ...globals(), ...o }))));

  program
    .command('once')
    .description('catch every source up to now, export, commit and exit; prints one summary line per source; exit 1 if any failed, 130/143 if stopped by SIGINT/SIGTERM')
    .addOption(configOption())
    .addOption(resetOption())
    .addOption(shardOption())
    .addOption(progressOption())
    .action((o: { config: string; resetCheckpoint: string[]; shard?: string; progressInterval: number }) => setResult(commands.once().then((once) => once({ ...globals(), ...o }))));

  program
    .command('replay')
    .description('read a past window from the API again and deliver it (same uids, marked atlassian.receiver.replay_id); never reads or moves the checkpoints; exit 1 if any source failed, 2 if the window is beyond what the API keeps')
    .addOption(configOption())
    .addOption(new Option('--from <time>', 'start of the window (event time): ISO-8601, or a duration before now such as 7d (required)'))
    .addOption(new Option('--to <time>', 'end of the window (inclusive): ISO-8601, now, or a duration before now').default('now'))
    .addOption(new Option('--source <name>', 'replay only this source (repeatable; default: every source)').argParser(collect).default([]))
    .addOption(new Option('--replay-id <id>', 'the value of atlassian.receiver.replay_id (default: a new UUID); reuse it when re-running an interrupted replay').argParser(replayId))
    .action((o: { config: string; from: string; to: string; source: string[]; replayId?: string }) => setResult(commands.replay().then((replay) => replay({ ...globals(), ...o }))));

  program
    .command('check')
    .description('validate the config, make one cheap authenticated request per source and one to the OTLP endpoint; exit 1 on any failure')
    .addOption(configOption())
    .addOption(shardOption())
    .action((o: { config: string; shard?: string }) => setResult(commands.check().then((check) => check({ ...globals(), ...o }))));

  program
    .command('demo')
    .description('run the receiver against a built-in simulated organization (no config, no network) and print the LogRecords')
    .option('--endpoint <url>', 'send to this OTLP/HTTP collector (base URL, e.g. http://localhost:4318) instead of printing')
    .addOption(new Option('--protocol <protocol>', 'OTLP encoding with --endpoint').choices(['http/protobuf', 'http/json']).default('http/protobuf'))
    .addOption(new Option('--events <n>', 'how many simulated events').argParser(positiveInt).default(14))
    .action((o: { endpoint?: string; protocol: 'http/protobuf' | 'http/json'; events: number }) => setResult(commands.demo().then((demo) => demo({ ...demoGlobals(), ...o }))));

  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput(program.configureOutput());
    requireAfterUnknownCheck(cmd, ['config', 'from']);
  }
  return program;
}

/**
 * Commander checks mandatory options before unknown ones, so `once --bogus` would say that
 * --config is missing. Checked in preAction instead, which runs after the unknown-flag check:
 * a mistyped flag is named as an unknown flag.
 */
function requireAfterUnknownCheck(cmd: Command, names: readonly string[]): void {
  cmd.hook('preAction', (c) => {
    for (const opt of c.options) {
      if (names.includes(opt.attributeName()) && c.getOptionValue(opt.attributeName()) === undefined) {
        c.error(`required option '${opt.flags}' not specified`, { exitCode: 2, code: 'commander.missingMandatoryOptionValue' });
      }
    }
  });
}

/** Commander's errors in the receiver's one format: `atlassian-audit-receiver: <what>` on one line, suggestion included. */
function oneLineError(text: string): string {
  const parts = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return `atlassian-audit-receiver: ${parts.join(' ').replace(/^error: /, '')}\n`;
}

function replayId(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(value)) throw new InvalidArgumentError('must be 1-128 letters, digits, dot, dash, colon or underscore');
  return value;
}

function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 100) throw new InvalidArgumentError('must be a duration of at least 100ms, such as 10s or 500ms');
  return ms;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('must be a whole number from 1 to 100000');
  return n;
}

export { CommanderError };
