import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/errors/delivery-error.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';
import type { CollectorResponse } from '../helpers/otlp-collector.js';
import { orgHarness } from '../helpers/org-harness.js';

const ORG = 'org-collector-faults';
const KEY = 'api-key-collector-SECRET';
const servers = useOrgServers(ORG, KEY);

const expected = () => fixtureEvents().map((e) => `${ORG}:${e.id}`).sort();
const received = () => servers.collector.records.map((r) => String(r.attributes['log.record.uid']));
const harness = () => orgHarness({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, apiKey: KEY });
const pagesOf3 = () => Math.ceil(fixtureEvents().length / 3);

describe('collector faults: the checkpoint never passes what the collector did not accept', () => {
  const outages: [string, CollectorResponse[]][] = [
    ['503 with Retry-After', [{ status: 503, headers: { 'retry-after': '1' } }, { status: 503 }]],
    ['429 storm', [{ status: 429 }, { status: 429 }, { status: 429, headers: { 'retry-after': '0' } }]],
    ['502/504 burst', [{ status: 502 }, { status: 504 }]],
    ['dropped connections', [{ destroy: true }, { destroy: true }, { destroy: true }]],
    ['slow collector past the export timeout', [{ hangMs: 2_500 }]],
  ];
  it.each(outages)('%s: pauses fetching, resumes by itself, delivers all', async (_name, faults) => {
    const h = harness();
    servers.collector.enqueue(...faults);
    const summary = await h.cycle();
    expect(summary.delivered).toBe(expected().length);
    expect([...new Set(received())].sort()).toEqual(expected());
    // The failing page was re-sent, never skipped; fetching did not run ahead of delivery.
    const pageFetches = servers.api.requests.filter((r) => r.status === 200).length;
    expect(pageFetches).toBe(pagesOf3() + 1);
    expect(h.logger.lines.some((l) => l.msg.startsWith('collector unavailable; fetching paused'))).toBe(true);
  });

  it('fetches nothing more while the collector is failing', async () => {
    const h = harness();
    servers.collector.enqueue(...Array.from({ length: 8 }, () => ({ status: 503 }) as const));
    const run = h.cycle();
    await servers.collector.waitForRecords(3, 10_000);
    await run;
    // Page 1 was fetched once and delivered after 9 attempts; no page was fetched during the outage.
    const attemptsBeforeFirstAck = servers.collector.requests.findIndex((r) => r.status === 200);
    expect(attemptsBeforeFirstAck).toBe(8);
    expect(servers.api.requests.filter((r) => r.status === 200)).toHaveLength(pagesOf3() + 1);
  });

  it('a 400 from the collector stops the source without moving the checkpoint; the next poll delivers', async () => {
    const h = harness();
    servers.collector.enqueue({ status: 200 }, { status: 400, body: 'bad data' });
    const err = await h.cycle().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).code).toBe('OTLP_REJECTED');
    expect((err as DeliveryError).describe()).toMatch(/collector answered 400.*checkpoint was not moved/);
    const stored = (await h.store.get('acme-org')) as { boundaryIds: string[] };
    expect(stored.boundaryIds).toEqual([fixtureEvents().map((e) => e).sort((a, b) => a.attributes.processedAt.localeCompare(b.attributes.processedAt))[2]!.id]);
    await h.cycle();
    expect([...new Set(received())].sort()).toEqual(expected());
    expect(received()).toHaveLength(expected().length);
  });

  it('logs partial_success with the rejected count and moves on (OTLP forbids a retry)', async () => {
    const h = harness();
    servers.collector.enqueue({ partialSuccess: { rejectedLogRecords: 2, errorMessage: 'attribute too long' } });
    const summary = await h.cycle();
    expect(summary.rejectedByCollector).toBe(2);
    const line = h.logger.lines.find((l) => l.msg.includes('partial_success'))!;
    expect(line).toMatchObject({ level: 'error', fields: { source: 'acme-org', rejected: 2, sent: 3, collectorMessage: 'attribute too long' } });
  });

  it('gives up in `once` mode after maxRetryTime with the checkpoint unmoved', async () => {
    const h = harness();
    servers.collector.enqueue(...Array.from({ length: 50 }, () => ({ status: 503 }) as const));
    const err = await h.cycle({ maxRetryTimeMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).code).toBe('OTLP_UNAVAILABLE');
    expect(await h.store.get('acme-org')).toBeUndefined();
  });

  it('abandons the in-flight export on abort without committing it', async () => {
    const h = harness();
    servers.collector.enqueue({ hangMs: 1_500 });
    const stop = new AbortController();
    const abort = new AbortController();
    setTimeout(() => { stop.abort(); abort.abort(); }, 200);
    const summary = await h.cycle({ stop: stop.signal, abort: abort.signal });
    expect(summary).toMatchObject({ interrupted: true, delivered: 0 });
    expect(await h.store.get('acme-org')).toBeUndefined();
  });
});
