import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter, type Clock } from '../../src/http/rate-limiter.js';
import { backoffDelay } from '../../src/http/backoff.js';
import { noteLimiterHold } from '../../src/http/wait-notice.js';
import { MemoryLogger } from '../helpers/org-harness.js';

/** A clock that only moves when someone sleeps: exact and instant. */
function simulatedClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

describe('SlidingWindowLimiter', () => {
  it('never allows more than the limit in any window, and uses all of it', async () => {
    const clock = simulatedClock();
    const limiter = new SlidingWindowLimiter(50, 60_000, clock);
    const times: number[] = [];
    for (let i = 0; i < 500; i++) {
      await limiter.acquire();
      times.push(clock.now());
    }
    for (let i = 50; i < times.length; i++) expect(times[i]! - times[i - 50]!).toBeGreaterThanOrEqual(60_000);
    // 500 requests at 50/min: the first 50 at once, then 50 per minute -> 9 minutes.
    expect(times.at(-1)).toBe(9 * 60_000);
  });

  it('is a no-op with a limit of 0', async () => {
    const clock = simulatedClock();
    const limiter = new SlidingWindowLimiter(0, 60_000, clock);
    for (let i = 0; i < 1000; i++) await limiter.acquire();
    expect(clock.now()).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with jitter in [base/2, base] and caps', () => {
    const policy = { initialMs: 1000, maxMs: 8000, multiplier: 2 };
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(2, policy, () => 1)).toBe(4000);
    expect(backoffDelay(10, policy, () => 1)).toBe(8000);
    expect(backoffDelay(10, policy, () => 0)).toBe(4000);
  });
});

describe('a long hold by the client-side limiter is explained once', () => {
  it('tells each held caller, once, how long it waits; short paces are not logged', async () => {
    const clock = simulatedClock();
    const limiter = new SlidingWindowLimiter(2, 60_000, clock);
    const logger = new MemoryLogger();
    const waits: number[] = [];
    const hold = (waitMs: number) => {
      waits.push(waitMs);
      noteLimiterHold(logger, { source: 'org', path: '/admin/v1/orgs/o/events-stream', waitMs, perMinute: 2 });
    };
    for (let i = 0; i < 3; i++) await limiter.acquire(undefined, hold);
    expect(waits).toEqual([60_000]); // the first two go at once; the third waits for the window
    expect(logger.lines).toEqual([
      {
        level: 'info',
        msg: 'waiting 60 s: the client-side limit of 2 requests per minute is used up',
        fields: { event: 'api.rate_limit_wait', source: 'org', path: '/admin/v1/orgs/o/events-stream', waitMs: 60_000, waitReason: 'requestsPerMinute', requestsPerMinute: 2 },
      },
    ]);
    noteLimiterHold(logger, { source: 'org', path: '/p', waitMs: 1_200, perMinute: 50 });
    expect(logger.lines).toHaveLength(1);
  });
});
