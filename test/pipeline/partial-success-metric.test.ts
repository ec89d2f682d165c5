// Issue 15, "tests that would catch these": a partial_success must be counted where an operator
// looks, the records_rejected counter on /metrics, over both OTLP encodings. The collector is the
// loopback fake that answers in the request's encoding; the counter is scraped as Prometheus does.
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpHttpSink } from '../../src/otlp/otlp-http-sink.js';
import { receiverResource } from '../../src/otlp/resource.js';
import { Severity, type AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { deliverBatch } from '../../src/pipeline/deliver.js';
import { SelfMetrics } from '../../src/telemetry/self-metrics.js';
import { SourceStatusBoard } from '../../src/telemetry/source-status.js';
import { CancellableDelays, closeServer, listenOnLoopback } from '../helpers/http-server-utils.js';
import { MemoryLogger } from '../helpers/org-harness.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';

const RESOURCE = receiverResource({ name: 'atlassian-audit-receiver', resourceAttributes: {} });
const records = (n: number, prefix: string): AuditLogRecord[] =>
  Array.from({ length: n }, (_, i) => ({ uid: `${prefix}-${i}`, timeMs: 1_700_000_000_000 + i, observedMs: 1_700_000_000_000, eventName: 'e', severity: Severity.INFO, body: { i }, attributes: { 'atlassian.source': 'acme' } }));

async function scrape(metrics: SelfMetrics): Promise<string> {
  const server = createServer((req, res) => metrics.prometheusHandler!(req, res));
  const url = await listenOnLoopback(server);
  try {
    return await (await fetch(`${url}/metrics`)).text();
  } finally {
    await closeServer(server, new CancellableDelays());
  }
}

/** The counter's value for one source, or undefined when the series does not exist. */
function rejectedTotal(text: string, source: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('atlassian_receiver_records_rejected_total{') && l.includes(`source="${source}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('partial_success is counted in atlassian_receiver_records_rejected_total', () => {
  let collector: TestCollector;
  beforeEach(async () => {
    collector = await startCollector();
  });
  afterEach(async () => collector.close());

  it.each(['http/protobuf', 'http/json'] as const)('over %s', async (protocol) => {
    const logger = new MemoryLogger();
    const exporter = { logsUrl: `${collector.url}/v1/logs`, protocol, compression: 'none' as const, headers: {}, timeoutMs: 2_000, maxRetryTimeMs: 2_000 };
    const metrics = new SelfMetrics({ metrics: { otlp: false, prometheus: true, interval: 60_000 }, exporter, resource: RESOURCE, board: new SourceStatusBoard([{ name: 'acme', pollIntervalMs: 60_000 }]), logger });
    const sink = new OtlpHttpSink(exporter, RESOURCE);
    const opts = { source: 'acme', sink, logger, maxRetryTimeMs: 2_000, signal: new AbortController().signal, recorder: metrics };
    try {
      collector.enqueue({ partialSuccess: { rejectedLogRecords: 2, errorMessage: 'attribute too long' } }, { partialSuccess: { rejectedLogRecords: 1, errorMessage: 'too old' } }, { status: 200 });
      expect(await deliverBatch(records(3, 'a'), opts)).toBe(2);
      expect(await deliverBatch(records(2, 'b'), opts)).toBe(1);
      // A plain 200 adds nothing.
      expect(await deliverBatch(records(4, 'c'), opts)).toBe(0);

      const expectedType = protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
      expect(collector.requests.map((r) => [r.contentType, r.status, r.recordCount])).toEqual([[expectedType, 200, 3], [expectedType, 200, 2], [expectedType, 200, 4]]);
      expect(rejectedTotal(await scrape(metrics), 'acme')).toBe(3);
      expect(logger.lines.filter((l) => l.fields.event === 'export.partial_success').map((l) => l.fields.rejected)).toEqual([2, 1]);
    } finally {
      await metrics.shutdown(1_000);
    }
  });
});
