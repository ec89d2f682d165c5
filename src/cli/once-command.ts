import { closeHttpAgent } from '../http/http-client.js';
import { runOnce } from '../pipeline/runner.js';
import { EXIT, loadConfigOrExit, lockStateOrExit, loggerFor, logShard, resetCheckpoints, type GlobalOptions } from './context.js';
import { formatOutcome } from './summary.js';
import { onShutdownSignals } from './signals.js';
import { buildReceiver, cycleDeps } from './wiring.js';

export interface OnceOptions extends GlobalOptions {
  readonly config: string;
  readonly resetCheckpoint: readonly string[];
  readonly shard?: string;
}

export async function onceCommand(opts: OnceOptions): Promise<number> {
  const config = loadConfigOrExit(opts.config, opts.shard);
  const logger = loggerFor(opts);
  logShard(config, logger);
  const lock = await lockStateOrExit(config.stateDirectory, logger, config.shard);
  const shutdown = onShutdownSignals(logger);
  const receiver = buildReceiver(config, logger);
  try {
    await resetCheckpoints(opts.resetCheckpoint, config, receiver.store, logger);
    const outcomes = await runOnce(receiver.sources, cycleDeps(receiver, logger, shutdown, config.exporter.maxRetryTimeMs, config.pipeline));
    for (const o of outcomes) process.stdout.write(`${formatOutcome(o)}\n`);
    return outcomes.every((o) => o.ok) ? EXIT.OK : EXIT.FAILED;
  } finally {
    shutdown.dispose();
    await receiver.sink.shutdown();
    await closeHttpAgent();
    await lock.release();
  }
}
