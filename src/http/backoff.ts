export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, multiplier: 2 };

/**
 * "Full jitter" exponential backoff: a random delay in [base/2, base], where base grows per
 * attempt. The lower half is kept so retries never collapse to zero and hammer a sick API.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** Math.max(0, attempt));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** Node's timers hold 32-bit milliseconds: a longer delay would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms`, or early (without throwing) when `signal` aborts. Waits longer than a
 * timer can hold are slept in pieces, so a long sleep is long and never a busy loop.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0 && !signal?.aborted; left = until - Date.now()) {
    await sleepOnce(Math.min(left, MAX_TIMER_MS), signal);
  }
}

function sleepOnce(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
