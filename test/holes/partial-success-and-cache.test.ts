// Issue 15, test holes: partial_success counted over both protocols; the uid cache's eviction;
// org walks whose last page carries a cursor, and whose last page carries data and none.
import { describe, expect, it } from 'vitest';
import { SeenUids } from '../../src/pipeline/seen-uids.js';
import { orgHarness } from '../helpers/org-harness.js';
import { fixtureEvents, startOrgEventsServer } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';

const ORG = 'org-holes';
const KEY = 'org-api-key-holes-42';
const servers = useOrgServers(ORG, KEY);
const expected = () => fixtureEvents().map((e) => `${ORG}:${e.id}`).sort();

describe('partial_success', () => {
  it.each(['http/protobuf', 'http/json'] as const)('is counted and logged over %s', async (protocol) => {
    const h = orgHarness({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, apiKey: KEY, exporter: { protocol } });
    servers.collector.enqueue({ partialSuccess: { rejectedLogRecords: 2, errorMessage: 'too long' } }, { partialSuccess: { rejectedLogRecords: 1, errorMessage: 'bad' } });
    const summary = await h.cycle();
    expect(summary.rejectedByCollector).toBe(3);
    expect(summary.delivered).toBe(fixtureEvents().length);
    expect(servers.collector.requests.every((r) => r.contentType === (protocol === 'http/json' ? 'application/json' : 'application/x-protobuf'))).toBe(true);
    const logged = h.logger.lines.filter((l) => l.fields.event === 'export.partial_success').map((l) => [l.fields.rejected, l.fields.collectorMessage]);
    expect(logged).toEqual([[2, 'too long'], [1, 'bad']]);
  });
});

describe('partial_success with a negative count', () => {
  it.each(['http/protobuf', 'http/json'] as const)('counts nothing rejected over %s (a collector bug, not refused records)', async (protocol) => {
    const h = orgHarness({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, apiKey: KEY, exporter: { protocol } });
    servers.collector.enqueue({ partialSuccess: { rejectedLogRecords: -5, errorMessage: 'odd' } });
    const summary = await h.cycle();
    expect(summary.rejectedByCollector).toBe(0);
    expect(summary.delivered).toBe(fixtureEvents().length);
  });
});

describe('SeenUids eviction', () => {
  it('forgets the oldest first, and a uid seen again counts as new', () => {
    const seen = new SeenUids(3);
    seen.addAll(['a', 'b', 'c']);
    seen.addAll(['a']); // refreshed: now the newest
    seen.addAll(['d']);
    expect(seen.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((u) => seen.has(u))).toEqual([true, false, true, true]);
    seen.addAll(['e', 'f']);
    expect(['a', 'c', 'd', 'e', 'f'].map((u) => seen.has(u))).toEqual([false, false, true, true, true]);
  });

  it('stays at its capacity however many uids pass through', () => {
    const seen = new SeenUids(1_000);
    for (let i = 0; i < 50; i++) seen.addAll(Array.from({ length: 100 }, (_, j) => `u${i * 100 + j}`));
    expect(seen.size).toBe(1_000);
    expect(seen.has('u0')).toBe(false);
    expect(seen.has('u4999')).toBe(true);
  });
});

describe('org walks: how the last page ends', () => {
  it.each([
    ['data pages carry a cursor; an empty last page carries none', {}, 5],
    ['the empty last page carries a cursor (terminalCursor)', { terminalCursor: true }, 5],
    ['the last page carries data and no cursor', { lastPageWithoutCursor: true }, 4],
  ])('%s: everything once, no cursor stored', async (_name, options, requests) => {
    const api = await startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: fixtureEvents(), ...options });
    try {
      const h = orgHarness({ apiUrl: api.url, collectorUrl: servers.collector.url, orgId: ORG, apiKey: KEY });
      const summary = await h.cycle();
      expect(summary.delivered).toBe(fixtureEvents().length);
      expect(servers.collector.records.map((r) => String(r.attributes['log.record.uid'])).sort()).toEqual(expected());
      expect(api.requests).toHaveLength(requests);
      expect((await h.store.get('acme-org'))?.cursor).toBeUndefined();
      // A second poll finds nothing new and delivers nothing twice.
      expect((await h.cycle()).delivered).toBe(0);
    } finally {
      await api.close();
    }
  });
});
