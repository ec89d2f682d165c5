import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { receiverResource } from '../../src/otlp/resource.js';
import { prometheusName } from '../../src/telemetry/prometheus-text.js';
import { SelfMetrics } from '../../src/telemetry/self-metrics.js';
import { SourceStatusBoard } from '../../src/telemetry/source-status.js';
import { MemoryLogger } from '../helpers/org-harness.js';
import { CancellableDelays, closeServer, listenOnLoopback } from '../helpers/http-server-utils.js';

/**
 * The Prometheus names are a public contract (dashboards and alerts): this is the whole list,
 * as scraped. A rename must change this list, the README's metrics table and its alerts.
 */
const CONTRACT = [
  'atlassian_receiver_api_rate_limited_total',
  'atlassian_receiver_api_request_duration_seconds',
  'atlassian_receiver_api_requests_total',
  'atlassian_receiver_api_retries_total',
  'atlassian_receiver_checkpoint_lag_seconds',
  'atlassian_receiver_credential_expiry_timestamp_seconds',
  'atlassian_receiver_export_duration_seconds',
  'atlassian_receiver_export_failures_total',
  'atlassian_receiver_poll_last_success_timestamp_seconds',
  'atlassian_receiver_polls_total',
  'atlassian_receiver_records_emitted_total',
  'atlassian_receiver_records_rejected_total',
  'nodejs_eventloop_delay_p99_seconds',
  'process_cpu_time_seconds_total',
  'process_memory_usage_bytes',
  'process_uptime_seconds',
  'target_info',
  'v8js_memory_heap_limit_bytes',
  'v8js_memory_heap_used_bytes',
];

describe('metric names', () => {
  it('turns OTel names and units into Prometheus names as the OTel compatibility spec does', () => {
    expect(prometheusName('atlassian.receiver.checkpoint.lag', 's', 'gauge')).toBe('atlassian_receiver_checkpoint_lag_seconds');
    expect(prometheusName('atlassian.receiver.poll.last_success_timestamp', 's', 'gauge')).toBe('atlassian_receiver_poll_last_success_timestamp_seconds');
    expect(prometheusName('atlassian.receiver.records.emitted', '{record}', 'counter')).toBe('atlassian_receiver_records_emitted_total');
    expect(prometheusName('process.cpu.time', 's', 'counter')).toBe('process_cpu_time_seconds_total');
    expect(prometheusName('process.memory.usage', 'By', 'gauge')).toBe('process_memory_usage_bytes');
    expect(prometheusName('x.utilization', '1', 'gauge')).toBe('x_utilization_ratio');
    expect(prometheusName('already_seconds', 's', 'histogram')).toBe('already_seconds');
  });

  it('serves exactly the documented names on /metrics, every sample with its suffix', async () => {
    const board = new SourceStatusBoard([{ name: 'org', pollIntervalMs: 60_000 }]);
    const metrics = new SelfMetrics({
      metrics: { otlp: false, prometheus: true, interval: 60_000 },
      exporter: { logsUrl: 'http://127.0.0.1:1/v1/logs', protocol: 'http/protobuf', compression: 'none', headers: {}, timeoutMs: 1_000, maxRetryTimeMs: 1_000 },
      resource: receiverResource({ name: 'atlassian-audit-receiver', resourceAttributes: {} }),
      board,
      logger: new MemoryLogger(),
      credentials: [{ source: 'org', credential: 'organization API key (apiKey)', expiresAtMs: Date.parse('2027-05-01T00:00:00Z'), key: 'apiKeyExpiresAt' }],
    });
    // One of everything, so every instrument has a data point.
    metrics.apiResponse('org', 200, undefined, 120);
    metrics.apiResponse('org', 429, undefined, 80);
    metrics.apiResponse('org', undefined, 'HTTP_TIMEOUT', 30_000);
    metrics.apiRetry('org', 'ATL_RATE_LIMITED');
    metrics.exportFinished('org', 'accepted', 15);
    metrics.exportFailed('org', 'retryable');
    metrics.recordsRejected('org', 1);
    metrics.recordsEmitted('org', 5);
    board.committed('org', [{ timeMs: Date.now() - 5_000 }]);
    const outcome = { source: 'org', ok: true as const, summary: { source: 'org', pages: 1, fetched: 5, delivered: 5, duplicatesDropped: 0, rejectedByCollector: 0, lastEventTimeMs: Date.now() - 5_000, interrupted: false }, startedAtMs: Date.now() - 100, finishedAtMs: Date.now() };
    board.cycleFinished(outcome);
    metrics.pollFinished(outcome);

    const server = createServer((req, res) => metrics.prometheusHandler!(req, res));
    const url = await listenOnLoopback(server);
    try {
      const res = await fetch(`${url}/metrics`);
      const text = await res.text();
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const typed = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!).sort();
      expect(typed).toEqual(CONTRACT);
      expect(text).toMatch(/^atlassian_receiver_api_request_duration_seconds_bucket\{[^}]*source="org"[^}]*http_response_status_code="200"[^}]*le="0.25"[^}]*\} 1$/m);
      expect(text).toMatch(/^atlassian_receiver_api_request_duration_seconds_sum\{[^}]*error_type="HTTP_TIMEOUT"[^}]*\} 30$/m);
      expect(text).toMatch(/^atlassian_receiver_export_duration_seconds_count\{[^}]*outcome="accepted"[^}]*\} 1$/m);
      expect(text).toMatch(/^atlassian_receiver_checkpoint_lag_seconds\{[^}]*source="org"[^}]*\} [\d.]+$/m);
      expect(text).toMatch(/^atlassian_receiver_credential_expiry_timestamp_seconds\{[^}]*source="org"[^}]*credential="organization API key \(apiKey\)"[^}]*\} 1809129600$/m);
      expect(text).toMatch(/^process_cpu_time_seconds_total\{[^}]*cpu_mode="system"[^}]*\} [\d.e+-]+$/m);
    } finally {
      await closeServer(server, new CancellableDelays());
      await metrics.shutdown(1_000);
    }
  });
});
