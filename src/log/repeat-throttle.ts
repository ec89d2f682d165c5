import type { Logger } from './logger.js';

/** Lines let through at once about one failing state, before the rate applies. */
const BURST = 5;
/** Then one line per this long, carrying how many were held back. */
const REFILL_MS = 30_000;
/** Distinct states remembered per logger; the oldest is forgotten first. */
const MAX_KEYS = 1_000;

interface Bucket {
  tokens: number;
  refilledAt: number;
  suppressed: number;
}

/**
 * A token bucket per failing state (e.g. source + path + error code), so a peer that fails
 * fast cannot turn the log into the bottleneck: the first BURST lines pass, then one per
 * REFILL_MS. `admit` answers undefined for a line to drop, or how many were dropped before it.
 */
export class RepeatThrottle {
  private readonly buckets = new Map<string, Bucket>();

  admit(key: string, nowMs: number): { suppressed: number } | undefined {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: BURST, refilledAt: nowMs, suppressed: 0 };
      this.buckets.set(key, bucket);
      if (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
    }
    const refills = Math.floor((nowMs - bucket.refilledAt) / REFILL_MS);
    if (refills > 0) {
      bucket.tokens = Math.min(BURST, bucket.tokens + refills);
      bucket.refilledAt += refills * REFILL_MS;
    }
    if (bucket.tokens < 1) {
      bucket.suppressed++;
      return undefined;
    }
    bucket.tokens--;
    const suppressed = bucket.suppressed;
    bucket.suppressed = 0;
    return { suppressed };
  }
}

const perLogger = new WeakMap<Logger, RepeatThrottle>();

/** One throttle per logger: a process (or a test harness) shares it across every request. */
export function throttleFor(logger: Logger): RepeatThrottle {
  let throttle = perLogger.get(logger);
  if (!throttle) {
    throttle = new RepeatThrottle();
    perLogger.set(logger, throttle);
  }
  return throttle;
}
