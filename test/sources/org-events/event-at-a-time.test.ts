// The org source parses a page one event at a time and hands each record to the poll's
// `prepare` before parsing the next, instead of a whole page of parsed events surviving the
// young-generation collections made while it is mapped. (Whether an earlier event is garbage
// cannot be watched from inside the loop: a WeakRef keeps its target alive until the job ends.
// `npm run bench` measures the effect on memory.)
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiterRegistry } from '../../../src/http/rate-limiter.js';
import type { AuditLogRecord } from '../../../src/pipeline/audit-log-record.js';
import type { SourcePage } from '../../../src/pipeline/source.js';
import { OrgEventsSource } from '../../../src/sources/org-events/source.js';
import { FAST_BACKOFF, MemoryLogger } from '../../helpers/org-harness.js';
import { generateEvents, startOrgEventsServer, type OrgEventsServer } from '../../helpers/org-events-server.js';

const servers: OrgEventsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function orgSource(events: number) {
  const server = await startOrgEventsServer({ orgId: 'org-1', apiKey: 'key-1', events: generateEvents(events, Date.parse('2026-01-01T00:00:00Z')) });
  servers.push(server);
  return new OrgEventsSource(
    { name: 'org-1', type: 'org-events', orgId: 'org-1', apiKey: 'key-1', baseUrl: server.url, pollInterval: 60_000, initialLookback: 3650 * 86_400_000, pageSize: 5, requestsPerMinute: 0, retryDeadline: 5_000, requestTimeout: 2_000 },
    { limiters: new RateLimiterRegistry(), logger: new MemoryLogger(), checkpointFile: 'org-1', backoff: FAST_BACKOFF },
  );
}

describe('org events, one at a time', () => {
  it('hands each mapped record to the poll\'s prepare, in order, and yields what it returned', async () => {
    const source = await orgSource(10);
    const prepared: string[] = [];
    const prepare = (record: AuditLogRecord): AuditLogRecord => {
      prepared.push((record.body as { id: string }).id);
      return { ...record, body: null, attributes: { uid: record.uid } };
    };
    const pages: SourcePage[] = [];
    for await (const page of source.pages(undefined, { signal: new AbortController().signal, logger: new MemoryLogger(), prepare })) pages.push(page);
    expect(pages.map((p) => [p.records.length, p.prepared])).toEqual([[5, true], [5, true], [0, true]]);
    const records = pages.flatMap((p) => p.records);
    expect(records.map((r) => r.body)).toEqual(Array(10).fill(null));
    expect(records.map((r) => r.attributes['uid'])).toEqual(prepared.map((id) => `org-1:${id}`));
    expect(new Set(prepared).size).toBe(10);
  });

  it('without a prepare from the poll, yields the mapped records as they are, unprepared', async () => {
    const source = await orgSource(3);
    const pages: SourcePage[] = [];
    for await (const page of source.pages(undefined, { signal: new AbortController().signal, logger: new MemoryLogger() })) pages.push(page);
    expect(pages[0]!.prepared).toBe(false);
    expect(pages[0]!.records.map((r) => (r.body as { id: string }).id)).toHaveLength(3);
  });
});
