// Issue 15: the Data Center page parser and mapping, fed arbitrary JSON, deep nesting and hostile
// strings (both event shapes, all three products). No throw escapes; every event maps, and one the
// schema rejects is flagged; mapping the same event twice gives the same uid. Memory:
// mapping-heap.test.ts. Same shape as fuzz-parsers.test.ts, which covers the Cloud sources.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { mapDataCenterEvent } from '../../src/sources/datacenter/map.js';
import { DC_PRODUCTS } from '../../src/sources/datacenter/product.js';
import { dcAuditEventSchema, dcAuditPageSchema } from '../../src/sources/datacenter/schema.js';

const RUNS = 150;

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', '\u0000', '\u001b[2J\u001b[31m', '\ud800', '\udfff\ud800', '\r\nacme: ok delivered=1', '', ' ', 'NaN', '1e400', '2026-02-30T25:61:00Z', 'http://[::1', 'https://jira.acme.test/ctx/', '1.2.3.4, 5.6.7.8'),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

const nested = (depth: number, kind: 'object' | 'array'): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { d: v } : [v];
  return v;
};
/** Nested 100 to 6,000 levels: built by a loop, as JSON.parse would hand it over. */
const deep = fc.tuple(fc.integer({ min: 100, max: 6_000 }), fc.constantFrom('object' as const, 'array' as const)).map(([d, k]) => nested(d, k));
/** The same, as the JSON text an extra attribute carries: the mapping parses those. */
const deepJsonText = fc.tuple(fc.integer({ min: 100, max: 6_000 }), fc.boolean()).map(([d, obj]) => (obj ? `${'{"d":'.repeat(d)}"bottom"${'}'.repeat(d)}` : `${'['.repeat(d)}"bottom"${']'.repeat(d)}`));

const value = fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 4 }), hostileString, deep, fc.constant(null));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const timestamp = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.record({ epochSecond: fc.oneof(fc.integer(), fc.double()), nano: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }),
  hostileString,
  value,
);
const auditType = fc.oneof(value, fc.record({ action: maybe(hostileString), actionI18nKey: maybe(fc.oneof(hostileString, fc.constantFrom('jira.auditing.user.login.failed', 'atlassian.audit.event.action.audit.search'))), category: maybe(hostileString), categoryI18nKey: maybe(hostileString), area: maybe(hostileString), level: maybe(hostileString) }, { requiredKeys: [] }));
const named = fc.oneof(value, fc.record({ id: maybe(fc.oneof(hostileString, fc.integer())), name: maybe(hostileString), type: maybe(hostileString), uri: maybe(hostileString) }, { requiredKeys: [] }));
const extra = fc.oneof(value, fc.record({ name: maybe(hostileString), nameI18nKey: maybe(hostileString), value: maybe(fc.oneof(hostileString, deepJsonText)) }, { requiredKeys: [] }));

const dcEvent = fc.oneof(
  value,
  fc.record({
    timestamp: maybe(timestamp),
    type: maybe(auditType),
    auditType: maybe(auditType),
    author: maybe(named),
    affectedObjects: maybe(fc.oneof(fc.array(named, { maxLength: 3 }), value)),
    changedValues: maybe(fc.oneof(fc.array(fc.record({ key: maybe(hostileString), from: maybe(hostileString), to: maybe(value) }, { requiredKeys: [] }), { maxLength: 3 }), value)),
    extraAttributes: maybe(fc.oneof(fc.array(extra, { maxLength: 4 }), value)),
    source: maybe(hostileString),
    system: maybe(hostileString),
    node: maybe(hostileString),
    method: maybe(hostileString),
  }, { requiredKeys: [] }),
);
const page = fc.oneof(
  value,
  fc.record({ entities: fc.oneof(fc.array(dcEvent, { maxLength: 4 }), value), pagingInfo: maybe(fc.oneof(value, fc.record({ lastPage: maybe(value), nextPageCursor: maybe(value), nextPageOffset: maybe(value) }, { requiredKeys: [] }))) }, { requiredKeys: [] }),
);

function checkMapped(raw: unknown, product: (typeof DC_PRODUCTS)[number]): AuditLogRecord {
  const ctx = { product, sourceName: 'dc-fuzz', observedMs: 1_700_000_000_000, system: 'https://jira.acme.test' };
  const record = mapDataCenterEvent(raw, ctx);
  expect(record.uid).toMatch(/\S/);
  expect(record.attributes['log.record.uid']).toBe(record.uid);
  expect(Number.isFinite(record.timeMs)).toBe(true);
  expect(record.body).toBe(raw === undefined ? null : raw);
  if (!dcAuditEventSchema.safeParse(raw).success) expect(record.attributes['atlassian.receiver.schema_error']).toEqual(expect.any(String));
  // Identity must not depend on anything but the event: a re-read dedupes.
  expect(mapDataCenterEvent(raw, ctx).uid).toBe(record.uid);
  return record;
}

describe('fuzz: Data Center page parser and mapping', () => {
  it('never throw; every event maps (flagged when the schema rejects it) ', () => {
    fc.assert(
      fc.property(page, fc.constantFrom(...DC_PRODUCTS), (body, product) => {
        const parsed = dcAuditPageSchema.safeParse(body);
        if (!parsed.success) return;
        for (const raw of parsed.data.entities) checkMapped(raw, product);
      }),
      { numRuns: RUNS },
    );
  });

  it('an event whose every field is hostile still maps, in both shapes', () => {
    fc.assert(
      fc.property(dcEvent, fc.constantFrom(...DC_PRODUCTS), (raw, product) => void checkMapped(raw, product)),
      { numRuns: RUNS },
    );
  });
});
