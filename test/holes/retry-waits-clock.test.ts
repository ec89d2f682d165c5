// Issue 15, test holes: the waits that Retry-After and X-RateLimit-Reset ask for, timed on a
// controllable clock (no wall-clock sleeps), for the API client and for the OTLP export retry.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestJson } from '../../src/http/json-api.js';
import type { Clock } from '../../src/http/rate-limiter.js';
import { silentLogger } from '../../src/log/pino-logger.js';
import { receiverResource } from '../../src/otlp/resource.js';
import { OtlpHttpSink } from '../../src/otlp/otlp-http-sink.js';
import { Severity, type AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { deliverBatch } from '../../src/pipeline/deliver.js';
import { CancellableDelays, closeServer, listenOnLoopback } from '../helpers/http-server-utils.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';

/** Time moves only when someone sleeps; every sleep is recorded. Starts at a fixed instant. */
function recordingClock(start: number): Clock & { sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)) };
}

const T0 = Date.parse('2026-05-19T10:00:00.000Z');
// Backoff small enough that every server hint is the larger wait.
const SMALL_BACKOFF = { initialMs: 10, maxMs: 20, multiplier: 2 };

let api: Server;
let apiUrl: string;
const answers: { status: number; headers?: Record<string, string> }[] = [];
beforeAll(async () => {
  api = createServer((_req, res) => {
    const a = answers.shift() ?? { status: 200 };
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.status === 200 ? '{"ok":true}' : '{}');
  });
  apiUrl = await listenOnLoopback(api);
});
afterAll(async () => closeServer(api, new CancellableDelays()));

describe('API client: waits exactly what the server asks', () => {
  it.each([
    ['Retry-After seconds', { 'retry-after': '7' }, 7_000],
    ['Retry-After HTTP-date', { 'retry-after': new Date(T0 + 30_000).toUTCString() }, 30_000],
    ['X-RateLimit-Reset', { 'x-ratelimit-reset': new Date(T0 + 12_000).toISOString() }, 12_000],
    ['Retry-After past the cap', { 'retry-after': '1000000' }, 15 * 60_000],
  ])('%s', async (_name, headers, expected) => {
    const clock = recordingClock(T0);
    answers.push({ status: 429, headers });
    const json = await requestJson({ method: 'GET', url: `${apiUrl}/x`, headers: {}, timeoutMs: 2_000 }, { source: 's', retryDeadlineMs: 3_600_000, logger: silentLogger, clock, backoff: SMALL_BACKOFF });
    expect(json).toEqual({ ok: true });
    expect(clock.sleeps).toEqual([expected]);
  });

  it('Retry-After: 0 waits the backoff, not zero', async () => {
    const clock = recordingClock(T0);
    answers.push({ status: 503, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after': '0' } });
    await requestJson({ method: 'GET', url: `${apiUrl}/x`, headers: {}, timeoutMs: 2_000 }, { source: 's', retryDeadlineMs: 3_600_000, logger: silentLogger, clock, backoff: { initialMs: 1_000, maxMs: 8_000, multiplier: 2 } });
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(1_000);
  });
});

describe('OTLP export retry: waits what the collector asks', () => {
  let collector: TestCollector;
  beforeEach(async () => {
    collector = await startCollector();
    return () => collector.close();
  });
  const record: AuditLogRecord = { uid: 'u-1', timeMs: T0, observedMs: T0, eventName: 'e', severity: Severity.INFO, body: 'b', attributes: {} };

  it.each([
    ['Retry-After seconds', () => ({ 'retry-after': '9' }), 9_000],
    // Built when the test runs: the sink reads an HTTP-date against the time the answer arrives.
    ['Retry-After HTTP-date', () => ({ 'retry-after': new Date(Date.now() + 20_000).toUTCString() }), 20_000],
  ])('503 with %s', async (_name, headers, expected) => {
    const clock = recordingClock(Date.now());
    collector.enqueue({ status: 503, headers: headers() });
    const sink = new OtlpHttpSink({ logsUrl: `${collector.url}/v1/logs`, protocol: 'http/protobuf', compression: 'none', headers: {}, timeoutMs: 2_000, maxRetryTimeMs: 0 }, receiverResource({ name: 't', resourceAttributes: {} }));
    const rejected = await deliverBatch([record], { source: 's', sink, logger: silentLogger, maxRetryTimeMs: 3_600_000, signal: new AbortController().signal, backoff: SMALL_BACKOFF, clock });
    expect(rejected).toBe(0);
    expect(clock.sleeps).toHaveLength(1);
    // An HTTP-date has whole seconds, and a moment passes before the answer is read.
    expect(clock.sleeps[0]).toBeGreaterThan(expected - 2_500);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(expected);
  });
});
