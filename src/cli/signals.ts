import type { Logger } from '../log/logger.js';

/** How long an in-flight export may finish after SIGTERM before it is abandoned (uncommitted). */
export const SHUTDOWN_GRACE_MS = 5_000;

/**
 * SIGTERM/SIGINT first stop fetching (`stop`), then after a grace period abandon whatever
 * is in flight (`abort`). A second signal abandons at once. Nothing unacknowledged is committed.
 */
export function onShutdownSignals(logger: Logger, graceMs = SHUTDOWN_GRACE_MS) {
  const stop = new AbortController();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    received ??= signal;
    if (stop.signal.aborted) {
      abort.abort(new Error(`second ${signal}`));
      return;
    }
    logger.info('shutting down: no new pages are fetched; the batch in flight may finish', { event: 'shutdown.requested', signal, graceMs });
    stop.abort(new Error(signal));
    timer = setTimeout(() => abort.abort(new Error('shutdown grace period over')), graceMs);
    timer.unref();
  };
  // SIGHUP (a closed terminal, `kill -HUP` out of habit) is logged and ignored: Node's default
  // would kill the process mid-batch, and the config is not reloaded (restart to apply changes).
  const hangup = () => logger.warn('SIGHUP ignored: the configuration is not reloaded; restart the receiver to apply changes', { event: 'signal.ignored', signal: 'SIGHUP' });
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  process.on('SIGHUP', hangup);
  return {
    stop: stop.signal,
    abort: abort.signal,
    /** The first signal received, if any: `once` and `demo` exit 128 + its number. */
    get received(): NodeJS.Signals | undefined {
      return received;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      process.off('SIGHUP', hangup);
    },
  };
}
