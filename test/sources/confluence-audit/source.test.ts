import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { countByUid, harnessPerTest, TestClock, timesMs } from '../jira-audit/pipeline-harness.js';
import {
  confluenceFixtureRecords,
  startConfluenceAuditServer,
  type ConfluenceAuditServer,
  type ConfluenceAuditServerOptions,
  type ConfluenceRecord,
} from '../../helpers/confluence-audit-server.js';

const NOW = Date.parse('2022-01-26T00:00:00.000Z');
const BASIC = { type: 'basic', email: 'secops@acme.example', apiToken: 'classic-token-456' };
const FIXTURE = confluenceFixtureRecords();

const pipeline = harnessPerTest<ConfluenceAuditServer>();

async function wiki(records: ConfluenceRecord[] = FIXTURE, extra: Partial<ConfluenceAuditServerOptions> = {}): Promise<ConfluenceAuditServer> {
  const server = await startConfluenceAuditServer({ auth: { basic: { email: BASIC.email, apiToken: BASIC.apiToken } }, records: records.map((r) => structuredClone(r)), ...extra });
  return pipeline.track(server);
}

function yaml(...sources: Record<string, unknown>[]): string {
  return `sources: ${JSON.stringify(sources)}\n`;
}

function source(site: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'acme-wiki', type: 'confluence-audit', site, auth: BASIC, initialLookback: '90d', requestsPerMinute: 0, retryDeadline: '1s', ...extra };
}

/** A copy of a fixture record at another time: identical copies share everything. */
function copyAt(ms: number, template: ConfluenceRecord = FIXTURE[10]!): ConfluenceRecord {
  return { ...structuredClone(template), creationDate: ms };
}

function everyOnce(): boolean {
  return [...countByUid(pipeline.h.collector.records).values()].every((n) => n === 1);
}

describe('confluence-audit source through the real pipeline', () => {
  it('delivers all 37 fixture records once, oldest first; the next poll delivers nothing new', async () => {
    const server = await wiki();
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source(server.url)), clock);
    const [outcome] = await pipeline.h.poll(sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 37 } });
    expect(pipeline.h.collector.records).toHaveLength(37);
    expect(everyOnce()).toBe(true);
    const times = timesMs(pipeline.h.collector.records);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(pipeline.h.collector.records[0]!.eventName).toBe('atlassian.confluence.audit_record');
    expect(server.requests[0]).toMatchObject({ path: '/wiki/rest/api/audit', via: 'site', auth: 'basic' });
    expect(server.requests[0]!.query).toMatchObject({ startDate: String(NOW - 90 * 86_400_000), endDate: String(NOW - 30_000), start: '0', limit: '1000' });

    clock.nowMs += 5 * 60_000;
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(37);
  });

  it('delivers every one of several identical records in the same millisecond, once', async () => {
    // Inside the last window's overlap, so later polls read them again and must drop them.
    const t = NOW - 120_000;
    const server = await wiki([copyAt(t), copyAt(t), copyAt(t), FIXTURE[0]!]);
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source(server.url)), clock);
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(4);
    const copies = () => pipeline.h.collector.records.filter((r) => r.timeUnixNano === BigInt(t) * 1_000_000n);
    expect(new Set(copies().map((r) => r.attributes['atlassian.audit.fingerprint'])).size).toBe(1);
    expect(copies().map((r) => String(r.attributes['log.record.uid']).split('#')[1]).sort()).toEqual(['0', '1', '2']);

    clock.nowMs += 5 * 60_000;
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(4);

    // A fourth identical copy indexed late: only it is new.
    server.addRecords(copyAt(t));
    clock.nowMs += 60_000;
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(5);
    expect(copies().map((r) => String(r.attributes['log.record.uid']).split('#')[1]).sort()).toEqual(['0', '1', '2', '3']);
    expect(everyOnce()).toBe(true);
  });

  it('numbers copies correctly when identical records straddle a page boundary', async () => {
    const t = NOW - 7_200_000;
    const records = [...FIXTURE.slice(0, 5), copyAt(t), copyAt(t), copyAt(t), copyAt(t), copyAt(t)];
    const server = await wiki(records);
    const { sources } = pipeline.h.build(yaml(source(server.url, { pageSize: 3 })), new TestClock(NOW));
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(10);
    expect(everyOnce()).toBe(true);
    // The split millisecond was read again on its own.
    expect(server.requests.some((r) => r.query['startDate'] === String(t) && r.query['endDate'] === String(t))).toBe(true);
  });

  it('loses and duplicates nothing when late records shift offsets while it pages', async () => {
    const windowEnd = NOW - 30_000;
    let inserted = false;
    const server = await wiki(FIXTURE, {
      beforePage: ({ start }, s) => {
        if (start !== 10 || inserted) return;
        inserted = true;
        s.addRecords(
          // Older than the page being read: read later in this walk.
          copyAt(Date.parse('2021-12-01T00:00:00.000Z'), FIXTURE[20]!),
          // New activity after the window's end: next poll.
          copyAt(NOW - 1_000, FIXTURE[0]!),
          // Indexed late, newer than every record read so far: every offset moves by one, so the
          // next page starts with a record already read. Inside the overlap: next poll.
          copyAt(windowEnd - 120_000, FIXTURE[5]!),
        );
      },
    });
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source(server.url, { pageSize: 5 })), clock);
    await pipeline.h.poll(sources);
    expect(inserted).toBe(true);
    expect(pipeline.h.collector.records).toHaveLength(38);
    expect(everyOnce()).toBe(true);
    clock.nowMs += 5 * 60_000;
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(40);
    expect(everyOnce()).toBe(true);
  });

  it('walks an oversized window in halves and still delivers each record once, oldest first', async () => {
    const server = await wiki();
    const { sources } = pipeline.h.build(yaml(source(server.url, { pageSize: 2 })), new TestClock(NOW));
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(37);
    expect(everyOnce()).toBe(true);
    const times = timesMs(pipeline.h.collector.records);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...pipeline.h.collector.requests.map((r) => r.recordCount))).toBeLessThanOrEqual(2);
    expect(Math.max(...server.requests.map((r) => Number(r.query['start'])))).toBeLessThanOrEqual(20);
  });

  it.each([2, 5])('restarts from the checkpoint after the collector refused page %i: every record exactly once', async (failAt) => {
    const server = await wiki();
    const cfg = yaml(source(server.url, { pageSize: 4 }));
    pipeline.h.collector.enqueue(...Array.from({ length: failAt - 1 }, () => ({ status: 200 })), { status: 400 });
    const [failed] = await pipeline.h.poll(pipeline.h.build(cfg, new TestClock(NOW)).sources);
    expect(failed).toMatchObject({ ok: false, code: 'OTLP_REJECTED' });
    const checkpoint = JSON.parse(await readFile(pipeline.h.store.locate('acme-wiki'), 'utf8')) as { to?: number; api: string };
    expect(checkpoint).toMatchObject({ api: 'confluence-audit', to: NOW - 30_000 });
    await pipeline.h.poll(pipeline.h.build(cfg, new TestClock(NOW + 60_000)).sources);
    expect(pipeline.h.collector.records).toHaveLength(37);
    expect(everyOnce()).toBe(true);
  });

  it('refuses a checkpoint written by another source type instead of guessing', async () => {
    const server = await wiki();
    await pipeline.h.store.set('acme-wiki', { v: 1, api: 'jira-audit', from: 0, sent: [] });
    const [outcome] = await pipeline.h.poll(pipeline.h.build(yaml(source(server.url)), new TestClock(NOW)).sources);
    expect(outcome).toMatchObject({ ok: false, code: 'CHECKPOINT_CORRUPT' });
    expect(server.requests).toHaveLength(0);
  });

  it('explains a 403 with the Confluence administrator permission', async () => {
    const server = await wiki();
    server.enqueue({ status: 403, body: '{"statusCode":403,"message":"Forbidden"}' });
    const [outcome] = await pipeline.h.poll(pipeline.h.build(yaml(source(server.url)), new TestClock(NOW)).sources);
    expect(!outcome!.ok && outcome!.error).toMatch(/403.*Confluence Administrator/);
  });
});
