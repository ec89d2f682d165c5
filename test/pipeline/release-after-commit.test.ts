// The pipeline tells the sink when it is done with a page's records (LogSink.release): once,
// after the page's checkpoint is committed, for every record of the page, and never for a page
// it did not commit. The OTLP sink then writes new records over their encoded bytes, so every
// record must still reach the collector exactly as it was, through retries, a dropped
// connection and a 413 split.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../src/checkpoint/memory-store.js';
import type { ExporterConfig } from '../../src/config/config.js';
import { OtlpHttpSink } from '../../src/otlp/otlp-http-sink.js';
import { receiverResource } from '../../src/otlp/resource.js';
import { SplittingSink } from '../../src/otlp/splitting-sink.js';
import { Severity, type AttributeValue, type AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { BoundedSink } from '../../src/pipeline/bounded-sink.js';
import { Permits } from '../../src/pipeline/permits.js';
import { runPollCycle } from '../../src/pipeline/poll-cycle.js';
import { SeenUids } from '../../src/pipeline/seen-uids.js';
import type { DeliveryResult, LogSink } from '../../src/pipeline/sink.js';
import type { Source, SourcePage } from '../../src/pipeline/source.js';
import { FAST_BACKOFF, MemoryLogger } from '../helpers/org-harness.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';

const collectors: TestCollector[] = [];
afterEach(async () => {
  for (const c of collectors.splice(0)) await c.close();
});

const T0 = 1_733_011_200_000;
const bodyOf = (i: number) => ({ id: `e-${i}`, attributes: { action: `action-${i % 13}`, note: `${i}:`.padEnd(600 + (i % 900), String.fromCharCode(97 + (i % 26))) } });

function recordOf(i: number): AuditLogRecord {
  return { uid: `u-${i}`, timeMs: T0 + i, observedMs: T0 + 60_000, eventName: 'e', severity: Severity.INFO, body: bodyOf(i), attributes: { 'log.record.uid': `u-${i}` } };
}

/** `pages` pages of `perPage` records; `repeat` puts record 0 again at the end of page 1. */
function pagedSource(pages: number, perPage: number, repeat = false): Source {
  return {
    name: 'paged', type: 'test', pollIntervalMs: 60_000,
    async *pages() {
      for (let p = 0; p < pages; p++) {
        const records = Array.from({ length: perPage }, (_, k) => recordOf(p * perPage + k));
        if (repeat && p === 1) records.push(recordOf(0));
        const page: SourcePage = { records, checkpoint: { page: p } };
        yield page;
      }
    },
    check: async () => ({ ok: true, detail: '' }),
  };
}

function deps(sink: LogSink, store = new MemoryCheckpointStore()) {
  return {
    store, sink, seen: new SeenUids(), logger: new MemoryLogger(), maxRetryTimeMs: 10_000,
    stop: new AbortController().signal, abort: new AbortController().signal, deliveryBackoff: FAST_BACKOFF, readAhead: 2,
  };
}

/** Accepts or fails as told per batch; records what it was given to release, and when. */
function recordingSink(results: DeliveryResult[] = [], store?: MemoryCheckpointStore) {
  const released: { uids: string[]; committed: unknown }[] = [];
  const sink: LogSink = {
    description: 'recording',
    prepare: (r) => ({ ...r, body: null, attributes: {} }),
    release(records) {
      released.push({ uids: records.map((r) => r.uid), committed: undefined });
      const entry = released[released.length - 1]!;
      void store?.get('paged').then((c) => (entry.committed = c));
    },
    deliver: async () => results.shift() ?? { status: 'accepted', rejected: 0 },
    check: async () => ({ ok: true, detail: '' }),
    shutdown: async () => {},
  };
  return { sink, released };
}

describe('records released to the sink after their page is committed', () => {
  it('each committed page once, whole (its duplicates too), after its checkpoint was written', async () => {
    const store = new MemoryCheckpointStore();
    const { sink, released } = recordingSink([], store);
    const summary = await runPollCycle(pagedSource(3, 4, true), deps(sink, store));
    await new Promise((r) => setTimeout(r, 0));
    expect(summary.delivered).toBe(12);
    expect(summary.duplicatesDropped).toBe(1);
    expect(released.map((r) => r.uids)).toEqual([
      ['u-0', 'u-1', 'u-2', 'u-3'],
      ['u-4', 'u-5', 'u-6', 'u-7', 'u-0'],
      ['u-8', 'u-9', 'u-10', 'u-11'],
    ]);
    expect(released.map((r) => r.committed)).toEqual([{ page: 0 }, { page: 1 }, { page: 2 }]);
  });

  it('a page whose delivery failed is not released, nor any page after it', async () => {
    const { sink, released } = recordingSink([{ status: 'accepted', rejected: 0 }, { status: 'failed', reason: 'collector answered 400' }]);
    await expect(runPollCycle(pagedSource(4, 3), deps(sink))).rejects.toThrow();
    expect(released.map((r) => r.uids)).toEqual([['u-0', 'u-1', 'u-2']]);
  });

  it('through the OTLP sink, every record arrives as it was while its memory is reused: 503, dropped connection, 413 split', async () => {
    const collector = await startCollector();
    collectors.push(collector);
    collector.enqueue({ status: 200 }, { status: 503 }, { status: 200 }, { destroy: true }, { status: 200 }, { status: 413 });
    const exporter: ExporterConfig = { logsUrl: `${collector.url}/v1/logs`, protocol: 'http/protobuf', compression: 'none', headers: {}, timeoutMs: 10_000, maxRetryTimeMs: 10_000 };
    const sink = new BoundedSink(new SplittingSink(new OtlpHttpSink(exporter, receiverResource({ name: 'svc', resourceAttributes: {} }))), new Permits(1));
    const pages = 30;
    const perPage = 150;
    const summary = await runPollCycle(pagedSource(pages, perPage), deps(sink));
    expect(summary.delivered).toBe(pages * perPage);
    const byUid = new Map(collector.records.map((r) => [String(r.attributes['log.record.uid']), r]));
    expect(byUid.size).toBe(pages * perPage);
    for (let i = 0; i < pages * perPage; i++) {
      const r = byUid.get(`u-${i}`);
      expect(r?.body).toEqual(bodyOf(i) as unknown as AttributeValue);
      expect(r?.timeUnixNano).toBe(BigInt(T0 + i) * 1_000_000n);
    }
  });
});
