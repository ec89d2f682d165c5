import { describe, expect, it } from 'vitest';
import { DC_PRODUCTS, type DcProduct } from '../../../src/sources/datacenter/product.js';
import { dcFixture } from '../../helpers/datacenter-fixtures.js';
import { dcEventAt, startDcServer, type DcEvent, type DcServer, type DcServerOptions } from '../../helpers/datacenter-server.js';
import { countByUid, harnessPerTest, TestClock, timesMs } from '../jira-audit/pipeline-harness.js';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const PAT = 'dc-pat-0123456789';
const BEARER = `Bearer ${PAT}`;

const pipeline = harnessPerTest<DcServer>();

/** `n` REST events of `product`, built from its fixture entities, one per second ending 2 min before NOW (newest last). */
function events(product: DcProduct, n: number, endMs = NOW - 120_000): DcEvent[] {
  const templates = dcFixture(product, 'rest');
  return Array.from({ length: n }, (_, i) => dcEventAt(templates[i % templates.length]!, endMs - (n - 1 - i) * 1_000, { node: `node-${i}` }));
}

async function instance(opts: Partial<DcServerOptions> & { product: DcProduct }): Promise<DcServer> {
  const server = await startDcServer({ authorizations: [BEARER], ...opts });
  return pipeline.track(server);
}

function yaml(...sources: Record<string, unknown>[]): string {
  return `sources: ${JSON.stringify(sources)}\n`;
}

function source(server: DcServer, product: DcProduct, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `${product}-dc`, type: 'datacenter-audit', product, baseUrl: server.url, auth: { type: 'pat', token: PAT }, initialLookback: '1h', settleDelay: '30s', requestsPerMinute: 0, retryDeadline: '5s', ...extra };
}

function everyOnce(): boolean {
  return [...countByUid(pipeline.h.collector.records).values()].every((n) => n === 1);
}

describe.each(DC_PRODUCTS)('datacenter-audit source for %s through the real pipeline', (product) => {
  it('walks the window by cursor and delivers every event once, oldest first; the next poll adds nothing', async () => {
    const server = await instance({ product, events: events(product, 23), cursorStyle: product === 'bitbucket' ? 'cursor-string' : 'cursor-object' });
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source(server, product, { pageSize: 5 })), clock);
    const [outcome] = await pipeline.h.poll(sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 23 } });
    expect(pipeline.h.collector.records).toHaveLength(23);
    expect(everyOnce()).toBe(true);
    const times = timesMs(pipeline.h.collector.records);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(pipeline.h.collector.records[0]!.attributes).toMatchObject({ 'atlassian.product': product, 'atlassian.deployment': 'datacenter' });
    const walk = server.requests.filter((r) => r.path.endsWith('/events'));
    expect(walk).toHaveLength(5);
    expect(walk[0]!.query).toEqual({ from: new Date(NOW - 3_600_000).toISOString(), to: new Date(NOW - 30_000).toISOString(), limit: '5' });
    expect(walk.slice(1).every((r) => r.query['pageCursor'] !== undefined && r.query['offset'] === undefined)).toBe(true);
    expect(walk.every((r) => r.authorization === BEARER)).toBe(true);

    clock.nowMs += 60_000;
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(23);
  });
});

describe('datacenter-audit source: paging faults', () => {
  it('uses basic auth and the context path', async () => {
    const basic = `Basic ${Buffer.from('auditor:s3cret', 'utf8').toString('base64')}`;
    const server = await instance({ product: 'jira', contextPath: '/jira', authorizations: [basic], events: events('jira', 3) });
    const { sources } = pipeline.h.build(yaml(source(server, 'jira', { auth: { type: 'basic', username: 'auditor', password: 's3cret' } })), new TestClock(NOW));
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(3);
    expect(server.requests[0]!.path).toBe('/jira/rest/auditing/1.0/events');
  });

  it('delivers events inserted while a walk is paging, each once, by the next polls', async () => {
    const late = (ms: number, n: string) => dcEventAt(dcFixture('bitbucket', 'rest')[0]!, ms, { node: n });
    const server = await instance({
      product: 'bitbucket',
      events: events('bitbucket', 12),
      onEventsRequest: (n, s) => {
        // After the first page: one event newer than the window, one indexed late inside the part already read.
        if (n === 1) s.insert(late(NOW - 10_000, 'after-window'), late(NOW - 121_500, 'late-inside'));
        return undefined;
      },
    });
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source(server, 'bitbucket', { pageSize: 4 })), clock);
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(12);
    clock.nowMs += 60_000;
    await pipeline.h.poll(sources);
    clock.nowMs += 60_000;
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(14);
    expect(everyOnce()).toBe(true);
  });

  it('delivers identical events in one millisecond, each once, even across pages and overlapping windows', async () => {
    const template = dcFixture('confluence', 'rest')[0]!;
    const t = NOW - 100_000;
    const server = await instance({ product: 'confluence', events: [dcEventAt(template, t), dcEventAt(template, t), dcEventAt(template, t), ...events('confluence', 3)] });
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source(server, 'confluence', { pageSize: 2 })), clock);
    await pipeline.h.poll(sources);
    clock.nowMs += 60_000;
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(6);
    const copies = pipeline.h.collector.records.filter((r) => r.timeUnixNano === BigInt(t) * 1_000_000n).map((r) => String(r.attributes['log.record.uid']));
    expect(copies.map((u) => u.slice(-2)).sort()).toEqual(['#0', '#1', '#2']);
    expect(everyOnce()).toBe(true);
  });

  it('honours 429 Retry-After and goes on', async () => {
    const server = await instance({
      product: 'jira',
      events: events('jira', 6),
      onEventsRequest: (n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1', 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0' } } : undefined),
    });
    const { sources } = pipeline.h.build(yaml(source(server, 'jira', { pageSize: 3 })), new TestClock(NOW));
    const started = Date.now();
    await pipeline.h.poll(sources);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(pipeline.h.collector.records).toHaveLength(6);
    // page 1, the 429, and page 2 again
    expect(server.requests.filter((r) => r.path.endsWith('/events'))).toHaveLength(3);
  });

  it('never follows a nextPageLink to another host (the token stays home), and pages by cursor', async () => {
    const other = await instance({ product: 'jira', authorizations: [] });
    const server = await instance({ product: 'jira', events: events('jira', 7), link: 'foreign', foreignOrigin: other.url });
    const { sources } = pipeline.h.build(yaml(source(server, 'jira', { pageSize: 3 })), new TestClock(NOW));
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(7);
    expect(other.requests).toHaveLength(0);
  });

  it('follows a same-origin nextPageLink, keeping the window bounds the link left out', async () => {
    const server = await instance({ product: 'bitbucket', contextPath: '/bitbucket', events: events('bitbucket', 7), link: 'same' });
    const { sources } = pipeline.h.build(yaml(source(server, 'bitbucket', { pageSize: 3 })), new TestClock(NOW));
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(7);
    const next = server.requests.filter((r) => r.path.endsWith('/events'))[1]!;
    expect(next.query).toMatchObject({ offset: '0', limit: '3', from: new Date(NOW - 3_600_000).toISOString(), to: new Date(NOW - 30_000).toISOString() });
    expect(next.query['pageCursor']).toMatch(/^\d+,\d+$/);
  });

  it('resumes after the collector refused a page: nothing lost, nothing twice', async () => {
    const server = await instance({ product: 'jira', events: events('jira', 9) });
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source(server, 'jira', { pageSize: 3 })), clock);
    pipeline.h.collector.enqueue({ status: 200 }, { status: 400 });
    const [first] = await pipeline.h.poll(sources);
    expect(first!.ok).toBe(false);
    expect(pipeline.h.collector.records).toHaveLength(3);
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(9);
    expect(everyOnce()).toBe(true);
  });
});

describe('datacenter-audit check', () => {
  it('reports coverage areas that are off', async () => {
    const server = await instance({ product: 'confluence', coverage: { AUDIT_LOG: 'BASE', SECURITY: 'OFF', USER_MANAGEMENT: 'off', PERMISSIONS: 'FULL' } });
    const { sources } = pipeline.h.build(yaml(source(server, 'confluence')), new TestClock(NOW));
    const result = await sources[0]!.check(AbortSignal.timeout(10_000));
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/audit coverage is OFF for SECURITY, USER_MANAGEMENT/);
    expect(server.requests.map((r) => r.path)).toContain('/rest/auditing/1.0/configuration/coverage');
  });

  it('explains a refused token and a non-admin account, without the secret', async () => {
    const basicUser = `Basic ${Buffer.from('jdoe:pw-123', 'utf8').toString('base64')}`;
    const server = await instance({ product: 'bitbucket', forbidden: [basicUser] });
    const { sources } = pipeline.h.build(yaml(source(server, 'bitbucket', { auth: { type: 'pat', token: 'wrong-token-999' } }), { ...source(server, 'bitbucket', { auth: { type: 'basic', username: 'jdoe', password: 'pw-123' } }), name: 'bb2' }), new TestClock(NOW));
    const [refused, forbidden] = await Promise.all(sources.map((s) => s.check(AbortSignal.timeout(10_000))));
    expect(refused!.ok).toBe(false);
    expect(refused!.detail).toMatch(/401.*personal access token.*system administrator/);
    expect(refused!.detail).not.toContain('wrong-token-999');
    expect(forbidden!.ok).toBe(false);
    expect(forbidden!.detail).toMatch(/403.*account jdoe.*may not read the audit log.*Bitbucket system administrator/);
    expect(forbidden!.detail).not.toContain('pw-123');
  });
});
