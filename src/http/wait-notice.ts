import type { TransientError } from '../errors/transient-error.js';
import type { Logger } from '../log/logger.js';

/** A hold shorter than this is ordinary pacing (50/min is one request every 1.2 s) and is not logged. */
export const HOLD_NOTICE_MS = 5_000;

/**
 * Says why a source is not fetching when the client-side limiter holds it for more than a few
 * seconds: one line per hold, with the wait and the limit that causes it.
 */
export function noteLimiterHold(logger: Logger, hold: { source: string; path: string; waitMs: number; perMinute: number }): void {
  if (hold.waitMs < HOLD_NOTICE_MS) return;
  logger.info(`waiting ${Math.ceil(hold.waitMs / 1_000)} s: the client-side limit of ${hold.perMinute} requests per minute is used up`, {
    event: 'api.rate_limit_wait',
    source: hold.source,
    path: hold.path,
    waitMs: Math.round(hold.waitMs),
    waitReason: 'requestsPerMinute',
    requestsPerMinute: hold.perMinute,
  });
}

/** `Retry-After` (the server said how long) or `backoff` (our own pacing after a failure). */
export function waitReason(failure: TransientError): 'Retry-After' | 'backoff' {
  return failure.retryAfterMs !== undefined ? 'Retry-After' : 'backoff';
}

/** Says the wait actually taken: a server's hint never shortens the backoff floor. */
export function retryMessage(failure: TransientError, delayMs: number): string {
  if (failure.retryAfterMs === undefined) return 'request failed, will retry';
  const s = Math.ceil(delayMs / 1_000);
  return failure.code === 'ATL_RATE_LIMITED' ? `rate limited by the API; waiting ${s} s as it asked (Retry-After)` : `the API asked to retry in ${s} s (Retry-After)`;
}
