import { closeHttpAgent } from '../http/http-client.js';
import { runForever } from '../pipeline/runner.js';
import { SeenUids } from '../pipeline/seen-uids.js';
import { EXIT, loadConfigOrExit, loggerFor, resetCheckpoints, type GlobalOptions } from './context.js';
import { onShutdownSignals } from './signals.js';
import { buildReceiver } from './wiring.js';

export interface RunOptions extends GlobalOptions {
  readonly config: string;
  readonly resetCheckpoint: readonly string[];
}

export async function runCommand(opts: RunOptions): Promise<number> {
  const config = loadConfigOrExit(opts.config);
  const logger = loggerFor(opts);
  const receiver = buildReceiver(config, logger);
  await resetCheckpoints(opts.resetCheckpoint, config, receiver.store, logger);
  const shutdown = onShutdownSignals(logger);
  logger.info('receiver started', {
    sources: receiver.sources.map((s) => ({ name: s.name, type: s.type, pollIntervalMs: s.pollIntervalMs })),
    exporter: receiver.sink.description,
    stateDirectory: config.stateDirectory,
  });
  try {
    await runForever(receiver.sources, {
      store: receiver.store,
      sink: receiver.sink,
      seen: new SeenUids(),
      logger,
      maxRetryTimeMs: Number.POSITIVE_INFINITY,
      stop: shutdown.stop,
      abort: shutdown.abort,
    });
    logger.info('receiver stopped');
    return EXIT.OK;
  } finally {
    shutdown.dispose();
    await receiver.sink.shutdown();
    await closeHttpAgent();
  }
}
