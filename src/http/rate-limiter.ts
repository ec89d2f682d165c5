import { sleep } from './backoff.js';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/**
 * Sliding-window limiter: never more than `limit` requests in any `windowMs`.
 * A token bucket would allow a 2x burst at the window edge, which Atlassian counts
 * against us; the exact window lets a backlog run at the full allowed rate and no faster.
 * Keys are shared per (credential, path) through `RateLimiterRegistry`.
 */
export class SlidingWindowLimiter {
  private readonly sent: number[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Waits for a slot, then takes it. Callers are served in order. `onWait` hears once, before
   * the first sleep, how long this caller will wait at least (so a long hold can be explained).
   */
  acquire(signal?: AbortSignal, onWait?: (waitMs: number) => void): Promise<void> {
    const queuedAt = this.clock.now();
    const turn = this.chain.then(() => this.take(signal, onWait, queuedAt));
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private async take(signal: AbortSignal | undefined, onWait: ((waitMs: number) => void) | undefined, queuedAt: number): Promise<void> {
    if (this.limit <= 0) return;
    for (let told = false; ; told = true) {
      const now = this.clock.now();
      while (this.sent.length > 0 && this.sent[0]! <= now - this.windowMs) this.sent.shift();
      if (this.sent.length < this.limit) {
        this.sent.push(now);
        return;
      }
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const waitMs = this.sent[0]! + this.windowMs - now;
      // Counted from when the caller queued: callers ahead of it in the chain held it too.
      if (!told) onWait?.(now - queuedAt + waitMs);
      await this.clock.sleep(waitMs, signal);
    }
  }
}

/**
 * Added to the minute of every per-minute limit. The API counts requests when they arrive,
 * and two requests sent exactly 60 s apart can arrive less than 60 s apart (the first one
 * waited for a new connection, the second did not): with no margin the API would see
 * limit + 1 requests in one minute. 1 s keeps 60/61 = 98% of the allowed rate.
 */
export const RATE_WINDOW_MARGIN_MS = 1_000;

/** One limiter per key, so two sources sharing a credential and path share a budget. */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  constructor(private readonly clock: Clock = systemClock) {}

  get(key: string, perMinute: number): SlidingWindowLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new SlidingWindowLimiter(perMinute, 60_000 + RATE_WINDOW_MARGIN_MS, this.clock);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}
