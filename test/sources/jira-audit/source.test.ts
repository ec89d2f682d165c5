import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { countByUid, harnessPerTest, TestClock, timesMs } from './pipeline-harness.js';
import { jiraCreated, jiraFixtureRecords, startJiraAuditServer, type JiraAuditServer, type JiraRecord } from '../../helpers/jira-audit-server.js';

const NOW = Date.parse('2022-01-25T00:00:00.000Z');
const BASIC = { type: 'basic', email: 'secops@acme.example', apiToken: 'classic-token-123' };
const FIXTURE = jiraFixtureRecords();

const pipeline = harnessPerTest<JiraAuditServer>();

async function jira(records: JiraRecord[] = FIXTURE, extra: Partial<Parameters<typeof startJiraAuditServer>[0]> = {}): Promise<JiraAuditServer> {
  const server = await startJiraAuditServer({ auth: { basic: { email: BASIC.email, apiToken: BASIC.apiToken } }, records: records.map((r) => ({ ...r })), ...extra });
  return pipeline.track(server);
}

function yaml(...sources: Record<string, unknown>[]): string {
  return `sources: ${JSON.stringify(sources)}\n`;
}

function source(name: string, site: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'jira-audit', site, auth: BASIC, initialLookback: '90d', requestsPerMinute: 0, retryDeadline: '1s', ...extra };
}

function record(id: number, createdMs: number, summary = 'User created'): JiraRecord {
  return { id, summary, created: jiraCreated(createdMs), category: 'user management', eventSource: '', objectItem: { id: `u${id}`, name: `u${id}`, typeName: 'USER' } };
}

describe('jira-audit source through the real pipeline', () => {
  it('delivers all 82 fixture records once, oldest first; the next poll delivers nothing new', async () => {
    const server = await jira();
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source('acme-jira', server.url)), clock);
    const [outcome] = await pipeline.h.poll(sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 82, interrupted: false } });
    expect(pipeline.h.collector.records).toHaveLength(82);
    expect([...countByUid(pipeline.h.collector.records).values()].every((n) => n === 1)).toBe(true);
    const times = timesMs(pipeline.h.collector.records);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(pipeline.h.collector.records[0]!.eventName).toBe('atlassian.jira.audit_record');
    expect(server.requests.every((r) => r.via === 'site' && r.auth === 'basic')).toBe(true);
    // Window [now - 90d, now - 30s], Jira's own timestamp format.
    expect(server.requests[0]!.query).toMatchObject({ offset: '0', limit: '1000', from: jiraCreated(NOW - 90 * 86_400_000), to: jiraCreated(NOW - 30_000) });

    clock.nowMs += 5 * 60_000;
    const [again] = await pipeline.h.poll(sources);
    expect(again).toMatchObject({ ok: true, summary: { delivered: 0 } });
    expect(pipeline.h.collector.records).toHaveLength(82);
    // The next window starts `overlap` (10m) before the previous one ended.
    expect(server.requests.at(-1)!.query['from']).toBe(jiraCreated(NOW - 30_000 - 600_000));
  });

  it('walks a window larger than 10 x pageSize in halves, oldest first, with bounded pages', async () => {
    const server = await jira();
    const { sources } = pipeline.h.build(yaml(source('acme-jira', server.url, { pageSize: 5 })), new TestClock(NOW));
    const [outcome] = await pipeline.h.poll(sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 82 } });
    expect([...countByUid(pipeline.h.collector.records).values()].every((n) => n === 1)).toBe(true);
    expect(pipeline.h.collector.records).toHaveLength(82);
    const times = timesMs(pipeline.h.collector.records);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...pipeline.h.collector.requests.map((r) => r.recordCount))).toBeLessThanOrEqual(5);
    // Halving happened: some windows were narrower than the whole lookback.
    const spans = new Set(server.requests.map((r) => Date.parse(r.query['to']!) - Date.parse(r.query['from']!)));
    expect(spans.size).toBeGreaterThan(1);
    expect(Math.max(...server.requests.map((r) => Number(r.query['offset'])))).toBeLessThanOrEqual(50);
  });

  it('loses and duplicates nothing when records are inserted while it pages', async () => {
    const windowEnd = NOW - 30_000;
    let inserted = false;
    const server = await jira(FIXTURE, {
      beforePage: ({ offset }, s) => {
        if (offset !== 20 || inserted) return;
        inserted = true;
        s.addRecords(
          // New activity: after the window's end, so it cannot shift this walk.
          record(20_001, NOW - 1_000, 'Group created'),
          // Indexed late, older than the page being read: pushes every later offset by one.
          record(20_002, Date.parse('2021-12-01T00:00:00.000Z'), 'User deleted'),
          // Indexed late, newer than every record read so far: every offset moves by one (the
          // next page starts with a record already read). Inside the overlap: next poll.
          record(20_003, windowEnd - 120_000, 'User updated'),
          // Indexed late among records already read and long before the window's end: no later
          // window reaches back that far (the documented limit: settleDelay + overlap).
          record(20_004, Date.parse(FIXTURE[3]!.created) - 1, 'User updated'),
        );
      },
    });
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source('acme-jira', server.url, { pageSize: 10 })), clock);
    await pipeline.h.poll(sources);
    expect(inserted).toBe(true);
    const afterFirst = countByUid(pipeline.h.collector.records);
    expect(afterFirst.size).toBe(83);
    expect(afterFirst.has(`${new URL(server.url).host}:20002`)).toBe(true);
    expect([...afterFirst.values()].every((n) => n === 1)).toBe(true);

    clock.nowMs += 5 * 60_000;
    await pipeline.h.poll(sources);
    const afterSecond = countByUid(pipeline.h.collector.records);
    expect(afterSecond.size).toBe(85);
    expect([...afterSecond.values()].every((n) => n === 1)).toBe(true);
    expect(pipeline.h.collector.records.slice(-2).map((r) => r.attributes['atlassian.event.id'])).toEqual(['20003', '20001']);
    expect(afterSecond.has(`${new URL(server.url).host}:20004`)).toBe(false);
  });

  it('delivers a record indexed late inside the overlap on the next poll, exactly once', async () => {
    const server = await jira(FIXTURE.slice(0, 10));
    const clock = new TestClock(NOW);
    const { sources } = pipeline.h.build(yaml(source('acme-jira', server.url, { overlap: '15m', settleDelay: '1m' })), clock);
    await pipeline.h.poll(sources);
    expect(pipeline.h.collector.records).toHaveLength(10);
    const firstEnd = NOW - 60_000;
    server.addRecords(record(30_001, firstEnd - 14 * 60_000), record(30_002, firstEnd - 16 * 60_000));
    clock.nowMs += 60_000;
    await pipeline.h.poll(sources);
    clock.nowMs += 60_000;
    await pipeline.h.poll(sources);
    const ids = pipeline.h.collector.records.map((r) => r.attributes['atlassian.event.id']);
    expect(ids.filter((id) => id === '30001')).toHaveLength(1);
    // Older than overlap + settle when it appeared: outside every later window (documented limit).
    expect(ids).not.toContain('30002');
    expect(pipeline.h.collector.records).toHaveLength(11);
  });

  it.each([1, 4, 8])('restarts from the checkpoint after the collector refused page %i: every record exactly once', async (failAt) => {
    const server = await jira();
    const cfg = yaml(source('acme-jira', server.url, { pageSize: 10 }));
    pipeline.h.collector.enqueue(...Array.from({ length: failAt - 1 }, () => ({ status: 200 })), { status: 400 });
    const first = pipeline.h.build(cfg, new TestClock(NOW));
    const [failed] = await pipeline.h.poll(first.sources);
    expect(failed).toMatchObject({ ok: false, code: 'OTLP_REJECTED' });
    expect(pipeline.h.collector.records).toHaveLength((failAt - 1) * 10);
    const checkpoint = JSON.parse(await readFile(pipeline.h.store.locate('acme-jira'), 'utf8').catch(() => 'null')) as { to?: number } | null;
    if (failAt > 1) expect(checkpoint?.to).toBe(NOW - 30_000);

    // A new process: new source objects, same state directory, a little later.
    const second = pipeline.h.build(cfg, new TestClock(NOW + 60_000));
    const [ok] = await pipeline.h.poll(second.sources);
    expect(ok).toMatchObject({ ok: true });
    const counts = countByUid(pipeline.h.collector.records);
    expect(counts.size).toBe(82);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const times = timesMs(pipeline.h.collector.records);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('polls many sites independently: own checkpoints, and one failing site does not stop the others', async () => {
    const a = await jira(FIXTURE.slice(0, 30));
    const b = await jira(FIXTURE.slice(30));
    const broken = await jira(FIXTURE, { auth: { basic: { email: BASIC.email, apiToken: 'the-real-token' } } });
    const { sources } = pipeline.h.build(yaml(source('site-a', a.url), source('site-b', b.url), source('site-broken', broken.url)), new TestClock(NOW));
    const outcomes = await pipeline.h.poll(sources);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(pipeline.h.collector.records).toHaveLength(82);
    const failure = outcomes[2]!;
    if (failure.ok) throw new Error('expected a failure');
    expect(failure.code).toBe('ATL_HTTP_STATUS');
    expect(failure.error).toContain('source=site-broken');
    expect(failure.error).toContain('401');
    expect(failure.error).toContain(`API token of ${BASIC.email}`);
    expect(failure.error).toContain('auth.apiToken');
    expect(failure.error).not.toContain(BASIC.apiToken);
    await expect(readFile(pipeline.h.store.locate('site-a'), 'utf8')).resolves.toContain('"api":"jira-audit"');
    await expect(readFile(pipeline.h.store.locate('site-b'), 'utf8')).resolves.toContain('"api":"jira-audit"');
    await expect(readFile(pipeline.h.store.locate('site-broken'), 'utf8')).rejects.toThrow();
  });

  it('explains a 403: Administer Jira and paid plans', async () => {
    const server = await jira(FIXTURE, { forbidden: true });
    const { sources } = pipeline.h.build(yaml(source('acme-jira', server.url)), new TestClock(NOW));
    const [outcome] = await pipeline.h.poll(sources);
    expect(outcome).toMatchObject({ ok: false, code: 'ATL_HTTP_STATUS' });
    expect(!outcome!.ok && outcome!.error).toMatch(/403.*Administer Jira.*Free plan/);
    const check = await sources[0]!.check(AbortSignal.timeout(5_000));
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('Administer Jira');
  });

  it('delivers a record the schema rejects, flagged, instead of stalling the walk', async () => {
    const odd = { ...record(40_001, NOW - 3_600_000), summary: 42, changedValues: 'n/a' } as unknown as JiraRecord;
    const server = await jira([odd, ...FIXTURE.slice(0, 3)]);
    const [outcome] = await pipeline.h.poll(pipeline.h.build(yaml(source('acme-jira', server.url)), new TestClock(NOW)).sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 4 } });
    const flagged = pipeline.h.collector.records.find((r) => r.attributes['atlassian.event.id'] === '40001')!;
    expect(flagged.attributes['atlassian.receiver.schema_error']).toMatch(/summary.*changedValues/);
    expect(flagged.body).toMatchObject({ id: 40_001, summary: 42 });
  });

  it('check() makes one cheap authenticated request', async () => {
    const server = await jira();
    const { sources } = pipeline.h.build(yaml(source('acme-jira', server.url)), new TestClock(NOW));
    const result = await sources[0]!.check(AbortSignal.timeout(5_000));
    expect(result).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.query['limit']).toBe('1');
  });

  it('follows the limit the server applied when it caps pages below pageSize', async () => {
    const server = await jira(FIXTURE, { maxLimit: 7 });
    const { sources } = pipeline.h.build(yaml(source('acme-jira', server.url, { pageSize: 1000 })), new TestClock(NOW));
    await pipeline.h.poll(sources);
    expect(countByUid(pipeline.h.collector.records).size).toBe(82);
    expect(server.pagesServed()).toBe(12);
  });
});
