import { closeHttpAgent } from '../http/http-client.js';
import { runOnce } from '../pipeline/runner.js';
import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import { EXIT, loadConfigOrExit, lockStateOrExit, loggerFor, logShard, resetCheckpoints, signalExitCode, type GlobalOptions } from './context.js';
import { startProgress } from './progress-reporter.js';
import { formatOutcome } from './summary.js';
import { onShutdownSignals } from './signals.js';
import { buildReceiver, cycleDeps } from './wiring.js';

export interface OnceOptions extends GlobalOptions {
  readonly config: string;
  readonly resetCheckpoint: readonly string[];
  readonly shard?: string;
  /** Backfill progress every this many ms (default 10 s). */
  readonly progressInterval?: number;
}

export async function onceCommand(opts: OnceOptions): Promise<number> {
  const config = loadConfigOrExit(opts.config, opts.shard);
  const logger = loggerFor(opts);
  logShard(config, logger);
  const lock = await lockStateOrExit(config.stateDirectory, logger, config.shard);
  const shutdown = onShutdownSignals(logger);
  const receiver = await buildReceiver(config, logger);
  const { progress, stop } = startProgress({ logger, logLevel: opts.logLevel, ...(opts.progressInterval !== undefined ? { everyMs: opts.progressInterval } : {}) });
  try {
    await resetCheckpoints(opts.resetCheckpoint, config, receiver.store, logger);
    const deps = { ...cycleDeps(receiver, logger, shutdown, config.exporter.maxRetryTimeMs, config.pipeline), onCommit: (source: string, records: readonly AuditLogRecord[]) => progress.committed(source, records) };
    const outcomes = await runOnce(receiver.sources, deps, (o) => progress.cycleFinished(o.source));
    for (const o of outcomes) process.stdout.write(`${formatOutcome(o)}\n`);
    // A scheduler must not take a stopped catch-up for a finished one.
    if (shutdown.received) return signalExitCode(shutdown.received);
    return outcomes.every((o) => o.ok) ? EXIT.OK : EXIT.FAILED;
  } finally {
    stop();
    shutdown.dispose();
    await receiver.sink.shutdown();
    await closeHttpAgent();
    await lock.release();
  }
}
