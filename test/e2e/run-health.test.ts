import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { runCli, writeConfig } from '../helpers/cli.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';

const ORG = '00000000-0000-0000-0000-000000000000';
const KEY = 'org-api-key-health-5e2a71';
const env = { TEST_ORG_API_KEY: KEY };

const servers = useOrgServers(ORG, KEY);

/** Two sources on one org API: `acme-org` has the right key, `broken-org` a revoked one. */
function twoSourceConfig(telemetry: string): string {
  const source = (name: string, key: string) => `  - name: ${name}
    type: org-events
    orgId: ${ORG}
    apiKey: ${key}
    baseUrl: ${servers.api.url}
    pageSize: 5
    initialLookback: 3650d
    pollInterval: 1h
    requestsPerMinute: 0
    retryDeadline: 5s
`;
  return `state:
  directory: ./state
exporter:
  endpoint: ${servers.collector.url}
  timeout: 5s
${telemetry}
sources:
${source('acme-org', '${TEST_ORG_API_KEY}')}${source('broken-org', 'revoked-key-0000')}`;
}

async function get(url: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('run: health endpoint and self-metrics', () => {
  it('serves /healthz, /readyz naming the failing source, /metrics, and pushes OTLP metrics; exits 0 on SIGTERM', async () => {
    const { file } = writeConfig(
      twoSourceConfig(`telemetry:
  health:
    endpoint: 127.0.0.1:0
  metrics:
    prometheus: true
    interval: 1s`),
    );
    const run = startCli(['run', '--config', file], { env });
    try {
      const listening = await run.waitForLog((l) => l['event'] === 'health.listening');
      const base = `http://${String(listening['address'])}`;
      await run.waitForLog((l) => l['event'] === 'poll.finished' && l['source'] === 'acme-org');
      await run.waitForLog((l) => l['event'] === 'poll.failed' && l['source'] === 'broken-org');

      const finished = await run.waitForLog((l) => l['event'] === 'poll.finished');
      expect(finished).toMatchObject({ level: 'info', source: 'acme-org', fetched: fixtureEvents().length, delivered: fixtureEvents().length, duplicatesDropped: 0 });
      expect(finished['eventsFrom']).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
      expect(finished['eventsTo']).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));

      const healthz = await get(`${base}/healthz`);
      expect(healthz).toMatchObject({ status: 200, type: 'application/json' });
      expect(JSON.parse(healthz.text)).toEqual({ status: 'ok' });

      const readyz = await get(`${base}/readyz`);
      expect(readyz.status).toBe(503);
      const body = JSON.parse(readyz.text) as { status: string; sources: { source: string; ready: boolean; reason?: string; lastError?: { code: string } }[] };
      expect(body.status).toBe('not ready');
      expect(body.sources.find((s) => s.source === 'acme-org')).toMatchObject({ ready: true, pollInterval: '1h' });
      const broken = body.sources.find((s) => s.source === 'broken-org')!;
      expect(broken).toMatchObject({ ready: false, lastError: { code: 'ATL_HTTP_STATUS' } });
      expect(broken.reason).toMatch(/no successful poll yet; the last one failed: ATL_HTTP_STATUS: the API answered 401/);
      expect(readyz.text).not.toContain('revoked-key-0000');

      const metrics = await get(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.type).toMatch(/^text\/plain/);
      const n = fixtureEvents().length;
      expect(metrics.text).toMatch(new RegExp(`^atlassian_receiver_records_emitted_total\\{[^}]*source="acme-org"[^}]*\\} ${n}\\b`, 'm'));
      expect(metrics.text).toMatch(/^atlassian_receiver_api_requests_total\{[^}]*source="broken-org"[^}]*http_response_status_code="401"[^}]*\} 1\b/m);
      expect(metrics.text).toMatch(/^atlassian_receiver_api_requests_total\{[^}]*source="acme-org"[^}]*http_response_status_code="200"[^}]*\} \d+/m);
      expect(metrics.text).toMatch(/^atlassian_receiver_polls_total\{[^}]*source="broken-org"[^}]*outcome="failed"[^}]*\} 1\b/m);
      expect(metrics.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(metrics.text).toMatch(/^atlassian_receiver_checkpoint_lag_seconds\{[^}]*source="acme-org"[^}]*\} [\d.e+-]+$/m);
      expect(metrics.text).toMatch(/^atlassian_receiver_poll_last_success_timestamp_seconds\{[^}]*source="acme-org"[^}]*\} [\d.e+]+$/m);
      expect(metrics.text).not.toMatch(/checkpoint_lag_seconds\{[^}]*source="broken-org"/);
      // Latency histograms (API and collector) and process metrics, with unit suffixes.
      expect(metrics.text).toMatch(/^# TYPE atlassian_receiver_api_request_duration_seconds histogram$/m);
      expect(metrics.text).toMatch(/^atlassian_receiver_api_request_duration_seconds_bucket\{[^}]*source="broken-org"[^}]*http_response_status_code="401"[^}]*le="\+Inf"[^}]*\} 1$/m);
      expect(metrics.text).toMatch(/^atlassian_receiver_export_duration_seconds_count\{[^}]*source="acme-org"[^}]*outcome="accepted"[^}]*\} [1-9]/m);
      expect(metrics.text).toMatch(/^process_cpu_time_seconds_total\{[^}]*cpu_mode="user"[^}]*\} [\d.e+-]+$/m);
      expect(metrics.text).toMatch(/^process_memory_usage_bytes\{[^}]*\} [1-9][\d.e+]*$/m);
      expect(metrics.text).toMatch(/^process_uptime_seconds\{[^}]*\} [\d.e+-]+$/m);
      expect(metrics.text).toMatch(/^v8js_memory_heap_used_bytes\{[^}]*\} [1-9]/m);
      // Every sample name follows the Prometheus conventions: no unit-less time gauges are left.
      const names = new Set([...metrics.text.matchAll(/^([a-z_:][a-z0-9_:]*)[{ ]/gm)].map((m) => m[1]!));
      expect([...names].filter((n) => n.startsWith('atlassian_receiver_') && !/(_total|_seconds|_seconds_(bucket|sum|count))$/.test(n))).toEqual([]);

      // OTLP: the same counters reach the collector on /v1/metrics, decoded with the official metrics .proto.
      // The newest push: an export interval can end before the last commit is counted.
      const deadline = Date.now() + 10_000;
      const emitted = () => servers.collector.metrics
        .filter((p) => p.metric === 'atlassian.receiver.records.emitted' && p.attributes['source'] === 'acme-org').at(-1);
      while (emitted()?.value !== n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(emitted()).toMatchObject({ kind: 'sum', value: n, unit: '{record}', scope: 'atlassian-audit-receiver' });
      expect(emitted()!.resource['service.name']).toBe('atlassian-audit-receiver');
      const metricPosts = servers.collector.requests.filter((r) => r.path === '/v1/metrics');
      expect(metricPosts.length).toBeGreaterThan(0);
      expect(metricPosts.every((r) => r.method === 'POST' && r.contentType === 'application/x-protobuf' && r.status === 200)).toBe(true);
      expect(servers.collector.errors).toEqual([]);
      // Same resource as the logs: one service.instance.id for both signals.
      expect(emitted()!.resource['service.instance.id']).toBe(servers.collector.records[0]!.resource['service.instance.id']);
    } finally {
      run.kill('SIGTERM');
    }
    const exit = await run.exited;
    expect(exit.code, run.stderr()).toBe(0);
    expect(run.stderr()).toContain('"event":"receiver.stopped"');
    expect(run.stderr()).not.toContain(KEY);
  });

  it('exits 2 with one line naming the address when the health port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const { file } = writeConfig(twoSourceConfig(`telemetry:\n  health:\n    endpoint: 127.0.0.1:${port}`));
      const result = await runCli(['run', '--config', file], { env, timeoutMs: 10_000 });
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^atlassian-audit-receiver: telemetry\\.health\\.endpoint 127\\.0\\.0\\.1:${port}: address already in use`));
      expect(servers.api.requests).toHaveLength(0);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
