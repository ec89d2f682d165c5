import { DeliveryError } from '../errors/delivery-error.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../http/backoff.js';
import type { Clock } from '../http/rate-limiter.js';
import { retryWait } from '../http/retry-after.js';
import { throttleFor } from '../log/repeat-throttle.js';
import type { Logger } from '../log/logger.js';
import type { ExportRecorder } from '../telemetry/recorder.js';
import type { AuditLogRecord } from './audit-log-record.js';
import type { LogSink } from './sink.js';

export interface DeliverOptions {
  readonly source: string;
  readonly sink: LogSink;
  readonly logger: Logger;
  /** Give up after this long (Infinity: until aborted). */
  readonly maxRetryTimeMs: number;
  readonly signal: AbortSignal;
  readonly backoff?: BackoffPolicy;
  /** Counts refused exports and partial_success rejections (self-metrics); optional. */
  readonly recorder?: ExportRecorder;
  /** Time and sleeps; tests use a controllable one. */
  readonly clock?: Clock;
}

const DELIVERY_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, multiplier: 2 };

/**
 * Delivers one batch, retrying the same batch while the collector is unavailable.
 * Resolves with the number of records the collector rejected in a partial_success,
 * or `undefined` when aborted before an acknowledgement. Throws DeliveryError otherwise.
 * Only a resolved number is an acknowledgement: the caller may then commit.
 */
export async function deliverBatch(records: readonly AuditLogRecord[], opts: DeliverOptions): Promise<number | undefined> {
  const now = () => opts.clock?.now() ?? Date.now();
  const started = now();
  for (let attempt = 0; ; attempt++) {
    if (opts.signal.aborted) return undefined;
    const sent = performance.now();
    const result = await opts.sink.deliver(records, opts.signal);
    if (!opts.signal.aborted) opts.recorder?.exportFinished(opts.source, result.status, performance.now() - sent);
    if (result.status === 'accepted') {
      if (result.rejected > 0) {
        opts.recorder?.recordsRejected(opts.source, result.rejected);
        // OTLP forbids retrying a partial success; say loudly what was lost downstream.
        opts.logger.error('collector rejected part of a batch (partial_success)', {
          event: 'export.partial_success',
          rejected: result.rejected,
          sent: records.length,
          collectorMessage: result.message,
        });
      }
      return result.rejected;
    }
    if (opts.signal.aborted) return undefined;
    opts.recorder?.exportFailed(opts.source, result.status);
    if (result.status === 'failed') throw new DeliveryError(opts.source, result.reason, true);
    const backoff = backoffDelay(attempt, opts.backoff ?? DELIVERY_BACKOFF);
    const delay = retryWait(backoff, result.retryAfterMs);
    // The server's hint names the wait only when it lengthened our own backoff.
    const asked = result.retryAfterMs !== undefined && result.retryAfterMs > backoff;
    if (now() + delay - started > opts.maxRetryTimeMs) throw new DeliveryError(opts.source, `${result.reason} (gave up after ${attempt + 1} attempts)`, false);
    const admitted = throttleFor(opts.logger).admit(`export.retry ${opts.source} ${result.reason}`, now());
    if (admitted) {
      opts.logger.warn(`collector unavailable; fetching paused, retrying the same batch in ${Math.ceil(delay / 1_000)} s${asked ? ' as it asked (Retry-After)' : ''}`, {
        event: 'export.retry',
        reason: result.reason,
        attempt: attempt + 1,
        retryInMs: delay,
        waitReason: asked ? 'Retry-After' : 'backoff',
        records: records.length,
        ...(admitted.suppressed > 0 ? { suppressedSimilar: admitted.suppressed } : {}),
      });
    }
    await (opts.clock ? opts.clock.sleep(delay, opts.signal) : sleep(delay, opts.signal));
  }
}
