// The Jira walker's request count on dense backlogs (issue 9: ≤ 1.05 requests per 1,000
// records), against the loopback fake Jira site, and that it stays exactly-once when `total`
// is missing or wrong, when offsets move while paging, and across crashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/pino-logger.js';
import type { CheckpointState, Source } from '../../../src/pipeline/source.js';
import { jiraCreated, startJiraAuditServer, type JiraAuditServer, type JiraRecord } from '../../helpers/jira-audit-server.js';
import { countByUid, harnessPerTest, TestClock, timesMs } from './pipeline-harness.js';

const NOW = Date.parse('2022-01-25T00:00:00.000Z');
const BASIC = { type: 'basic', email: 'secops@acme.example', apiToken: 'classic-token-123' };
const exact = (matching: number) => matching;

const pipeline = harnessPerTest<JiraAuditServer>();

async function jira(records: JiraRecord[], extra: Partial<Parameters<typeof startJiraAuditServer>[0]> = {}): Promise<JiraAuditServer> {
  const server = await startJiraAuditServer({ auth: { basic: { email: BASIC.email, apiToken: BASIC.apiToken } }, records, ...extra });
  return pipeline.track(server);
}

function build(server: JiraAuditServer, pageSize: number, name = 'acme-jira'): readonly Source[] {
  const source = { name, type: 'jira-audit', site: server.url, auth: BASIC, initialLookback: '7d', requestsPerMinute: 0, retryDeadline: '1s', pageSize };
  return pipeline.h.build(`sources: ${JSON.stringify([source])}\n`, new TestClock(NOW)).sources;
}

function record(id: number, createdMs: number): JiraRecord {
  return { id, summary: 'User created', created: jiraCreated(createdMs), category: 'user management', eventSource: '' };
}

/** `n` records at the given creation times (ids 1..n). */
function records(times: readonly number[]): JiraRecord[] {
  return times.map((t, i) => record(i + 1, t));
}

const uniform = (n: number, stepMs = 1) => Array.from({ length: n }, (_, i) => NOW - 3_600_000 - n * stepMs + i * stepMs);

/** Three bursts of `n / 3` records in 40 ms each, hours apart: density changes a million-fold. */
const bursty = (n: number) => Array.from({ length: n }, (_, i) => NOW - 3_600_000 * (1 + 2 * (i % 3)) + Math.floor(i / 3) % 40);

/** What the oldest-first walk costs for one window of n records in pages of `limit`. */
const walkCost = (n: number, limit: number) => 1 + Math.ceil((n - limit) / (limit - 1));

async function drainAndCheck(server: JiraAuditServer, pageSize: number, expected: number): Promise<void> {
  const [outcome] = await pipeline.h.poll(build(server, pageSize));
  expect(server.requests.every((r) => r.status === 200)).toBe(true);
  expect(outcome).toMatchObject({ ok: true, summary: { delivered: expected } });
  const counts = countByUid(pipeline.h.collector.records);
  expect(counts.size).toBe(expected);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  const times = timesMs(pipeline.h.collector.records);
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

describe('jira-audit: a dense backlog walked oldest part first', () => {
  it('drains 20,000 records (one per ms, pages of 1,000) in 21 requests: 1.05 per 1,000, none empty', async () => {
    const server = await jira(records(uniform(20_000)), { total: exact });
    await drainAndCheck(server, 1000, 20_000);
    expect(server.pagesServed()).toBe(walkCost(20_000, 1000));
    expect((server.pagesServed() / 20_000) * 1000).toBeLessThanOrEqual(1.05);
    // The offset-0 page is read once: the newest records come from it, not from a second read.
    expect(server.requests.filter((r) => r.query['offset'] === '0')).toHaveLength(1);
  }, 60_000);

  it.each([
    ['uniform', uniform(6_000, 7)],
    ['bursty', bursty(6_000)],
  ])('costs 1 + ⌈(N − limit) / (limit − 1)⌉ requests whatever the time distribution (%s, pages of 100)', async (_name, times) => {
    const server = await jira(records(times), { total: exact });
    await drainAndCheck(server, 100, 6_000);
    expect(server.pagesServed()).toBe(walkCost(6_000, 100));
  }, 30_000);

  it.each([
    ['absent', () => undefined],
    ['17 too high (the fake default)', (m: number) => m + 17],
    ['150 too high', (m: number) => m + 150],
    ['150 too low', (m: number) => Math.max(0, m - 150)],
    ['the page length', (_m: number, served: number) => served],
    ['zero', () => 0],
  ])('delivers every record exactly once when total is %s', async (_name, total) => {
    const server = await jira(records(bursty(2_500)), { total });
    await drainAndCheck(server, 100, 2_500);
  }, 30_000);

  it('finds the end past a total that is too low, with no fallback and no extra request', async () => {
    const server = await jira(records(uniform(3_000, 3)), { total: (m) => m - 150 });
    await drainAndCheck(server, 100, 3_000);
    // The pages read past the stated end are pages the walk needs anyway, in another order.
    expect(server.pagesServed()).toBeLessThanOrEqual(walkCost(3_000, 100) + 1);
  }, 30_000);

  it('delivers a record the API lists twice (on one page or across two) once', async () => {
    const listed = records(bursty(2_500));
    // Every 83rd record listed twice: some copies share a page, some straddle a page boundary.
    const server = await jira([...listed, ...listed.filter((_r, i) => i % 83 === 0).map((r) => ({ ...r }))], { total: exact });
    // Straight from the source: the pipeline's in-process dedup would hide a second copy.
    const [source] = build(server, 100);
    const uids: string[] = [];
    for await (const page of source!.pages(undefined, { signal: new AbortController().signal, logger: silentLogger })) uids.push(...page.records.map((r) => r.uid));
    expect(uids).toHaveLength(2_500);
    expect(new Set(uids).size).toBe(2_500);
  }, 30_000);

  it('delivers every record once when records indexed late shift the offsets mid-walk', async () => {
    const times = uniform(3_000, 10);
    let added = 0;
    const server = await jira(records(times), {
      total: exact,
      beforePage: (_q, s) => {
        // After the 4th and 9th page, a record created inside the part not yet read appears
        // (it pushes every older record one offset further), and one in the part already read.
        if (s.pagesServed() === 4 || s.pagesServed() === 9) {
          added++;
          s.addRecords(record(50_000 + added, times[2_900]! + added), record(60_000 + added, times[100]! + added));
        }
      },
    });
    const [outcome] = await pipeline.h.poll(build(server, 100));
    expect(outcome).toMatchObject({ ok: true });
    const counts = countByUid(pipeline.h.collector.records);
    const host = new URL(server.url).host;
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (let id = 1; id <= 3_000; id++) expect(counts.has(`${host}:${id}`)).toBe(true);
    // Created where the walk had not been yet: delivered in this same poll.
    expect(counts.has(`${host}:50001`) && counts.has(`${host}:50002`)).toBe(true);
    // Each shift the walk notices costs at most a new offset-0 page and a new end.
    expect(server.pagesServed()).toBeLessThanOrEqual(walkCost(3_002, 100) + 2 * 2);
    const times2 = timesMs(pipeline.h.collector.records);
    expect(times2).toEqual([...times2].sort((a, b) => a - b));
  }, 30_000);

  it.each([1, 7, 13, 24])('resumes after a crash at page %i: every record exactly once, in order', async (crashAfter) => {
    const server = await jira(records(bursty(2_400)), { total: exact });
    const { delivered, times } = await walkWithCrashes(server, [crashAfter]);
    expect(delivered).toHaveLength(2_400);
    expect(new Set(delivered).size).toBe(2_400);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }, 30_000);

  it('still stops at the hard cap on one crowded millisecond, and walks one under it', async () => {
    const at = NOW - 7_200_000;
    const under = await jira(records(Array.from({ length: 2_500 }, () => at)), { total: exact });
    await drainAndCheck(under, 100, 2_500);
    const over = await jira(records(Array.from({ length: 5_200 }, () => at)), { total: exact });
    const [outcome] = await pipeline.h.poll(build(over, 100, 'crowded-jira'));
    expect(outcome).toMatchObject({ ok: false, code: 'ATL_WINDOW_TOO_LARGE' });
  }, 30_000);
});

describe('jira-audit tail walk: property', () => {
  it('any backlog, any error in total, records indexed late and crashes: every record at most once, the original ones exactly once, oldest first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 900, maxLength: 2_600 }),
        fc.oneof(fc.constant<number | undefined>(undefined), fc.constant(0), fc.integer({ min: -250, max: 250 })),
        fc.array(fc.record({ atRequest: fc.integer({ min: 2, max: 20 }), slot: fc.integer({ min: 0, max: 400 }) }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
        async (slots, error, late, crashes) => {
          // Slots of 9 s inside the last 2 hours: many records share a millisecond.
          const at = (slot: number) => NOW - 3_600_000 - slot * 9_000;
          const server = await jira(slots.map((slot, i) => record(i + 1, at(slot))), {
            total: (m) => (error === undefined ? undefined : Math.max(0, m + error)),
            beforePage: (_q, s) => {
              for (const [i, l] of late.entries()) if (s.pagesServed() === l.atRequest) s.addRecords(record(90_000 + i, at(l.slot)));
            },
          });
          const { delivered, times } = await walkWithCrashes(server, crashes);
          await pipeline.close(server);
          const host = new URL(server.url).host;
          expect(new Set(delivered).size).toBe(delivered.length);
          for (let id = 1; id <= slots.length; id++) expect(delivered).toContain(`${host}:${id}`);
          expect(times).toEqual([...times].sort((a, b) => a - b));
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

/**
 * Walks the server's backlog in pages of 100, "crashing" after the given numbers of pages: each
 * restart is a new process (new source objects) resuming from the checkpoint last committed.
 */
async function walkWithCrashes(server: JiraAuditServer, crashes: readonly number[]): Promise<{ delivered: string[]; times: number[] }> {
  const ctx = { signal: new AbortController().signal, logger: silentLogger };
  const delivered: string[] = [];
  const times: number[] = [];
  let checkpoint: CheckpointState | undefined;
  for (const limit of [...crashes, Number.POSITIVE_INFINITY]) {
    const [source] = build(server, 100);
    let n = 0;
    for await (const page of source!.pages(checkpoint, ctx)) {
      if (n++ >= limit) break;
      delivered.push(...page.records.map((r) => r.uid));
      times.push(...page.records.map((r) => r.timeMs));
      checkpoint = JSON.parse(JSON.stringify(page.checkpoint)) as CheckpointState;
    }
  }
  return { delivered, times };
}
