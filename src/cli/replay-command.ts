import { randomUUID } from 'node:crypto';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { closeHttpAgent } from '../http/http-client.js';
import { isReplayable, type Replayable } from '../pipeline/replay.js';
import { ReplaySource } from '../pipeline/replay-source.js';
import { runOnce } from '../pipeline/runner.js';
import type { Source } from '../pipeline/source.js';
import { CliExit, describeError, EXIT, loadConfigOrExit, loggerFor, signalExitCode, type GlobalOptions } from './context.js';
import { iso, parseReplayWindow, retentionProblem } from './replay-window.js';
import { startProgress } from './progress-reporter.js';
import { onShutdownSignals } from './signals.js';
import { formatOutcome } from './summary.js';
import { buildReceiver, cycleDeps } from './wiring.js';

export interface ReplayOptions extends GlobalOptions {
  readonly config: string;
  readonly source: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly replayId?: string;
}

/**
 * Reads a past window again and delivers it through the same pipeline as `once`. It reads no
 * checkpoint and writes none (an in-memory store stands in), so it takes no state lock and can
 * run beside `run`; re-running an interrupted replay reads the whole window again.
 */
export async function replayCommand(opts: ReplayOptions): Promise<number> {
  const config = loadConfigOrExit(opts.config);
  const nowMs = Date.now();
  const window = parseReplayWindow(opts.from, opts.to, nowMs);
  const replayId = opts.replayId ?? randomUUID();
  const logger = loggerFor(opts).child({ replayId });
  const receiver = await buildReceiver(config, logger);
  const chosen = choose(receiver.sources, opts.source, config.file);
  const shutdown = onShutdownSignals(logger);
  try {
    const limits = await Promise.all(chosen.map(async (s) => {
      try {
        return { source: s, limit: await s.retention(shutdown.stop) };
      } catch (err) {
        throw new CliExit(`${s.name}: could not read how far back the API keeps records: ${describeError(err)}`, EXIT.FAILED);
      }
    }));
    const refusals = limits.map(({ source, limit }) => retentionProblem(source.name, window, limit, nowMs)).filter((p) => p !== undefined);
    if (refusals.length > 0) throw new CliExit(refusals.join('\n'), EXIT.USAGE);
    for (const { source, limit } of limits) logger.info('replay starting', { event: 'replay.started', source: source.name, from: iso(window.fromMs), to: iso(window.toMs), retention: limit.statement });
    process.stdout.write(`replay ${replayId}: ${iso(window.fromMs)}..${iso(window.toMs)} (event time), sources: ${chosen.map((s) => s.name).join(', ')}\n`);

    const { progress, stop } = startProgress({ logger, logLevel: opts.logLevel, targetMs: window.toMs });
    const outcomes = await runOnce(chosen.map((s) => new ReplaySource(s, window, replayId)), {
      ...cycleDeps(receiver, logger, shutdown, config.exporter.maxRetryTimeMs, config.pipeline),
      store: new MemoryCheckpointStore('replay'),
      onCommit: (source, records) => progress.committed(source, records),
    }).finally(stop);
    for (const o of outcomes) process.stdout.write(`${formatOutcome(o)}\n`);
    // Stopped before the window was delivered: a scheduler must not read it as done.
    if (shutdown.received) return signalExitCode(shutdown.received);
    return outcomes.every((o) => o.ok) ? EXIT.OK : EXIT.FAILED;
  } finally {
    shutdown.dispose();
    await receiver.sink.shutdown();
    await closeHttpAgent();
  }
}

function choose(sources: readonly Source[], names: readonly string[], file: string): (Source & Replayable)[] {
  const all = sources.map((s) => s.name).join(', ');
  for (const name of names) {
    if (!sources.some((s) => s.name === name)) throw new CliExit(`--source: no source named "${name}" in ${file} (sources: ${all})`, EXIT.USAGE);
  }
  const describe = (list: readonly Source[]) => list.map((s) => `${s.name} (${s.type})`).join(', ');
  if (names.length === 0) {
    // "Every source" means every source that can be replayed; the others are named, not silently skipped.
    const skipped = sources.filter((s) => !isReplayable(s));
    if (skipped.length === sources.length) throw new CliExit(`replay is not supported for any source in ${file}: ${describe(skipped)}`, EXIT.USAGE);
    if (skipped.length > 0) process.stdout.write(`not replayed (replay is not supported for this type): ${describe(skipped)}\n`);
    return sources.filter(isReplayable);
  }
  const picked = sources.filter((s) => names.includes(s.name));
  const unsupported = picked.filter((s) => !isReplayable(s));
  if (unsupported.length > 0) throw new CliExit(`replay is not supported for ${describe(unsupported)}`, EXIT.USAGE);
  return picked.filter(isReplayable);
}
