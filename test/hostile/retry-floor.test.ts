// Issue 15, rows 1 and 2 (server-given delays): a server's hint may lengthen a wait, never
// shorten it below the backoff floor, and is capped; repeated warnings are rate-limited.
import { describe, expect, it, vi } from 'vitest';
import { sleep } from '../../src/http/backoff.js';
import { MAX_SERVER_DELAY_MS, retryWait } from '../../src/http/retry-after.js';
import { RepeatThrottle } from '../../src/log/repeat-throttle.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { useOrgServers } from '../helpers/org-servers.js';

// Each case starts the CLI a few times; on a loaded 2-core machine one start can take seconds.
const SLOW = 60_000;
vi.setConfig({ testTimeout: 4 * SLOW, hookTimeout: SLOW });

const ORG = 'org-retry-floor';
const KEY = 'org-api-key-retry-floor-99';
const env = { TEST_ORG_API_KEY: KEY };
const servers = useOrgServers(ORG, KEY);
const logLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('row 1: Retry-After 0 or in the past does not turn retries into a busy loop', () => {
  it.each([
    ['Retry-After: 0', { 'retry-after': '0' }],
    ['Retry-After: a past date', { 'retry-after': new Date(Date.now() - 3_600_000).toUTCString() }],
  ])('collector 503 with %s: `once` paces its retries by the backoff floor', async (_name, headers) => {
    servers.collector.enqueue(...Array.from({ length: 5_000 }, () => ({ status: 503, headers })));
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }).replace('maxRetryTime: 20s', 'maxRetryTime: 3s'));
    const r = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/acme-org: FAILED OTLP_UNAVAILABLE/);
    // Backoff 0.5 s doubling (jittered to [base/2, base]) fits at most ~5 attempts in 3 s; the bug made thousands.
    const attempts = servers.collector.requests.filter((q) => q.path === '/v1/logs').length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(8);
  });

  it('API 429 with Retry-After: 0 and no client-side limit: paced, and the warnings rate-limited', async () => {
    servers.api.enqueue(...Array.from({ length: 5_000 }, () => ({ status: 429, headers: { 'retry-after': '0' } })));
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }).replace('retryDeadline: 20s', 'retryDeadline: 4s'));
    const r = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/acme-org: FAILED ATL_RATE_LIMITED/);
    // DEFAULT_BACKOFF: 1 s doubling, jittered: at most ~4 attempts in 4 s.
    expect(servers.api.requests.length).toBeLessThanOrEqual(6);
    expect(logLines(r.stderr).filter((l) => l.event === 'api.retry').length).toBeLessThanOrEqual(5);
  });

  it('Retry-After: 1000000000 is capped; past the retry deadline the poll fails at once instead of looping', async () => {
    servers.api.enqueue(...Array.from({ length: 100 }, () => ({ status: 429, headers: { 'retry-after': '1000000000' } })));
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }).replace('retryDeadline: 20s', 'retryDeadline: 5m'));
    const r = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/acme-org: FAILED ATL_RATE_LIMITED: rate limited by the API; still failing after 1 attempts/);
    expect(servers.api.requests).toHaveLength(1);
  });
});

describe('the wait rule and its parts', () => {
  it('retryWait: a hint lengthens, never shortens, and is capped', () => {
    expect(retryWait(800, 0)).toBe(800);
    expect(retryWait(800, undefined)).toBe(800);
    expect(retryWait(800, 5_000)).toBe(5_000);
    expect(retryWait(800, 1e12)).toBe(MAX_SERVER_DELAY_MS);
  });

  it('a sleep longer than a 32-bit timer sleeps that long (no 1 ms overflow)', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const thirtyDays = 30 * 86_400_000;
      const p = sleep(thirtyDays).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(2 ** 31);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(thirtyDays - 2 ** 31 - 1_000);
      await p;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('RepeatThrottle: a burst of 5, then one line per 30 s carrying the count held back', () => {
    const t = new RepeatThrottle();
    const admitted = Array.from({ length: 100 }, (_, i) => t.admit('k', i)).filter((a) => a !== undefined);
    expect(admitted).toHaveLength(5);
    expect(t.admit('other', 100)).toEqual({ suppressed: 0 });
    expect(t.admit('k', 30_000)).toEqual({ suppressed: 95 });
    expect(t.admit('k', 30_001)).toBeUndefined();
  });
});
