import { ConfigError } from '../errors/config-error.js';
import { ReceiverError } from '../errors/receiver-error.js';
import { loadConfig } from '../config/load.js';
import type { ReceiverConfig } from '../config/config.js';
import { inShard, parseShard, type Shard } from '../config/shard.js';
import type { LogLevel, Logger } from '../log/logger.js';
import { createLogger } from '../log/pino-logger.js';
import type { FileCheckpointStore } from '../checkpoint/file-store.js';
import { lockStateDirectory, type StateLock } from '../checkpoint/state-lock.js';
import { StateDirectoryError } from '../errors/state-directory-error.js';

/**
 * Exit codes: 0 ok, 1 a source or delivery failed, 2 bad usage or configuration, and for a
 * command that did not finish its work because it was stopped, 128 + the signal's number
 * (130 SIGINT, 143 SIGTERM), as a shell reports a process killed by that signal.
 */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, SIGINT: 130, SIGTERM: 143 } as const;

/** The exit code of a command cut short by `signal`. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM;
}

/** An error the CLI reports as one line (or a short list) and exits with `exitCode`; never a stack trace. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  readonly logLevel: LogLevel;
}

export function loggerFor(opts: GlobalOptions): Logger {
  return createLogger(opts.logLevel);
}

/**
 * Loads the config and keeps only this shard's sources: `--shard INDEX/COUNT` (`shardFlag`)
 * wins over the file's `shard:`; without either every source runs.
 */
export function loadConfigOrExit(file: string, shardFlag?: string): ReceiverConfig {
  let config: ReceiverConfig;
  try {
    config = loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliExit(err.describe(), EXIT.USAGE);
    if (err instanceof ReceiverError && err.code === 'CONFIG_UNREADABLE') throw new CliExit(err.message, EXIT.USAGE);
    throw err;
  }
  let shard = config.shard;
  if (shardFlag !== undefined) {
    const parsed = parseShard(shardFlag);
    if (typeof parsed === 'string') throw new CliExit(`--shard: ${parsed}`, EXIT.USAGE);
    shard = parsed;
  }
  if (shard === undefined) return config;
  return { ...config, shard, sources: config.sources.filter((s) => inShard(s.name, shard)) };
}

/** One log line saying which sources this shard runs (an empty shard idles: a replica with nothing to do is not an error). */
export function logShard(config: ReceiverConfig, logger: Logger): void {
  if (!config.shard) return;
  const { index, count } = config.shard;
  const fields = { event: 'receiver.shard', shard: `${index}/${count}`, sources: config.sources.map((s) => s.name) };
  if (config.sources.length === 0) logger.warn(`shard ${index}/${count} has no sources; nothing to poll`, fields);
  else logger.info(`shard ${index}/${count} runs ${config.sources.length} source(s)`, fields);
}

/**
 * The state directory's start-up step for commands that write state (run, once, demo): writable,
 * locked to this process, stale temp files gone. Problems exit 2 naming the directory (and holder).
 */
export async function lockStateOrExit(directory: string, logger: Logger, shard?: Shard): Promise<StateLock> {
  try {
    // Shards run disjoint sources, so shards of one config may share a directory: one lock each.
    return await lockStateDirectory(directory, logger, shard ? `receiver.shard-${shard.index}-of-${shard.count}.lock` : undefined);
  } catch (err) {
    if (err instanceof StateDirectoryError) throw new CliExit(err.message, EXIT.USAGE);
    throw err;
  }
}

/** `--reset-checkpoint NAME`: the documented way out of a corrupt checkpoint. */
export async function resetCheckpoints(names: readonly string[], config: ReceiverConfig, store: FileCheckpointStore, logger: Logger): Promise<void> {
  for (const name of names) {
    if (!config.sources.some((s) => s.name === name)) {
      throw new CliExit(`--reset-checkpoint: no source named "${name}" in ${config.file} (sources: ${config.sources.map((s) => s.name).join(', ')})`, EXIT.USAGE);
    }
    await store.delete(name);
    logger.warn('checkpoint reset; the source starts again from its initialLookback', { event: 'checkpoint.reset', source: name, file: store.locate(name) });
  }
}

export function describeError(err: unknown): string {
  if (err instanceof ReceiverError) return err.describe();
  if (err instanceof Error) return err.message;
  return String(err);
}
