// Issue 15: "the process's memory stays bounded" while the mappings are fed hostile input. A
// high-water mark on RSS only catches a blow-up; this catches a leak: the same inputs mapped again
// and again must leave the heap, after a forced GC, where it was. Anything a mapping kept per record
// (a cache keyed by record, a buffer of warnings) shows as megabytes; the baseline is ~0.2 MB.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { mapConfluenceRecord } from '../../src/sources/confluence-audit/map.js';
import { mapDataCenterEvent } from '../../src/sources/datacenter/map.js';
import { DC_PRODUCTS } from '../../src/sources/datacenter/product.js';
import { mapJiraRecord } from '../../src/sources/jira-audit/map.js';
import { mapOrgEvent } from '../../src/sources/org-events/map.js';
import { confluenceFixtureRecords } from '../helpers/confluence-audit-server.js';
import { dcFixture } from '../helpers/datacenter-fixtures.js';
import { jiraFixtureRecords } from '../helpers/jira-audit-server.js';
import { fixtureEvents } from '../helpers/org-events-server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Each pass maps under another org / site / instance, so the uids are new every pass: a cache
// keyed by uid grows as it would in a long `run`.
const productCtx = (n: number) => ({ site: `https://s${n}.atlassian.net`, siteHost: `s${n}.atlassian.net`, sourceName: 'heap', observedMs: n });
const MAPPERS: [string, (raw: unknown, n: number) => AuditLogRecord, unknown[]][] = [
  ['org', (raw, n) => mapOrgEvent(raw, { orgId: `org-${n}`, sourceName: 'heap', observedMs: n }), fixtureEvents()],
  ['Jira', (raw, n) => mapJiraRecord(raw, productCtx(n)), jiraFixtureRecords()],
  ['Confluence', (raw, n) => mapConfluenceRecord(raw, productCtx(n)), confluenceFixtureRecords()],
  ['Data Center', (raw, n) => mapDataCenterEvent(raw, { product: DC_PRODUCTS[n % 3]!, sourceName: `heap-${n}`, system: `https://dc${n}.acme.test`, observedMs: n }), DC_PRODUCTS.flatMap((p) => dcFixture(p, 'rest').slice(0, 10))],
];

/** Fixed inputs (a seed): arbitrary JSON and hostile strings, in and around the records' shape. */
const hostile = fc.sample(
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.dictionary(fc.constantFrom('id', 'type', 'attributes', 'summary', 'created', 'timestamp', 'auditType', '__proto__'), fc.jsonValue({ maxDepth: 3 })),
  ),
  { numRuns: 150, seed: 15 },
);

describe('mapping keeps nothing of what it mapped', () => {
  it.each(MAPPERS)('%s: heap flat across 3,000+ more mapped records', (_name, map, fixtures) => {
    const inputs = [...fixtures, ...hostile];
    let pass = 0;
    const round = () => {
      for (let i = 0; i < 10; i++, pass++) for (const raw of inputs) map(raw, pass);
    };
    round();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let r = 0; r < 3; r++) round();
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1_536 * 1024);
  });
});
