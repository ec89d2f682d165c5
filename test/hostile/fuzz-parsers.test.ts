// Issue 15: the org, Jira and Confluence page parsers and mappings, fed arbitrary JSON, deep
// nesting and hostile strings. No throw escapes; every record maps (flagged when it does not
// match the schema); the mapped record serializes over both OTLP encodings; memory stays bounded.
import fc from 'fast-check';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { LogsRequestEncoder } from '../../src/otlp/logs-request-encoder.js';
import { toReadableLogRecord } from '../../src/otlp/to-readable.js';
import { receiverResource } from '../../src/otlp/resource.js';
import type { AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { limitDepth } from '../../src/pipeline/depth-limit.js';
import { confluenceCreatedMs, confluenceFingerprint } from '../../src/sources/confluence-audit/fingerprint.js';
import { mapConfluenceRecord } from '../../src/sources/confluence-audit/map.js';
import { confluenceAuditPageSchema, confluenceAuditRecordSchema } from '../../src/sources/confluence-audit/schema.js';
import { jiraCreatedMs, jiraRecordId, mapJiraRecord } from '../../src/sources/jira-audit/map.js';
import { jiraAuditPageSchema, jiraAuditRecordSchema } from '../../src/sources/jira-audit/schema.js';
import { mapOrgEvent } from '../../src/sources/org-events/map.js';
import { orgEventPageSchema, orgEventSchema } from '../../src/sources/org-events/schema.js';
import { contentHash } from '../../src/sources/record-helpers.js';
import { flattenRequest, otlpTypes } from '../helpers/otlp-proto.js';

const RESOURCE = receiverResource({ name: 'fuzz', resourceAttributes: {} });
const ENCODER = new LogsRequestEncoder(RESOURCE.attributes, { name: 'fuzz', version: '0' });
const RUNS = 150;

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000', '\u001b[2J\u001b[31m', '\ud800', '\udfff\ud800', '\r\nacme: ok delivered=1', '', ' ', 'NaN', '-1', '1e400', '2026-02-30T25:61:00Z'),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Nested 100 to 6,000 levels: built by a loop, as JSON.parse would hand it over. */
const deep = fc.tuple(fc.integer({ min: 100, max: 6_000 }), fc.constantFrom('object', 'array')).map(([depth, kind]) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { d: v } : [v];
  return v;
});

const value = fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 4 }), hostileString, deep, fc.constant(null));
const time = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileString, fc.integer());
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const orgEvent = fc.oneof(
  value,
  fc.record({
    id: maybe(fc.oneof(hostileString, fc.integer())),
    type: maybe(fc.constantFrom('events', 'other')),
    attributes: maybe(fc.record({ time: maybe(time), processedAt: maybe(time), action: maybe(hostileString), actor: maybe(value), context: maybe(fc.array(value, { maxLength: 3 })), container: maybe(fc.array(value, { maxLength: 3 })), location: maybe(fc.record({ ip: maybe(hostileString), countryName: maybe(hostileString), city: maybe(value) })) }, { requiredKeys: [] })),
  }, { requiredKeys: [] }),
);
const productRecord = fc.oneof(
  value,
  fc.record({
    id: maybe(fc.oneof(fc.integer(), hostileString)),
    summary: maybe(hostileString),
    created: maybe(time),
    creationDate: maybe(fc.oneof(fc.integer(), hostileString)),
    category: maybe(hostileString),
    author: maybe(value),
    authorAccountId: maybe(hostileString),
    remoteAddress: maybe(hostileString),
    objectItem: maybe(value),
    affectedObject: maybe(value),
    changedValues: maybe(fc.array(value, { maxLength: 3 })),
    associatedItems: maybe(fc.array(value, { maxLength: 3 })),
    associatedObjects: maybe(fc.array(value, { maxLength: 3 })),
  }, { requiredKeys: [] }),
);

/**
 * What the pipeline does with a mapped record before export: bound its depth, then encode it
 * with the receiver's own protobuf encoder (decoded back with the official .proto files) and
 * with the SDK's serializers (http/json still uses them).
 */
function deliverable(record: AuditLogRecord): void {
  expect(typeof record.uid).toBe('string');
  expect(Number.isFinite(record.timeMs)).toBe(true);
  const bounded = limitDepth(record).record;
  const decoded = flattenRequest(otlpTypes().request.decode(ENCODER.encode([bounded])));
  expect(decoded).toHaveLength(1);
  // Unchanged on the wire: an id UTF-8 cannot carry (a lone surrogate) is not used as the uid.
  expect(decoded[0]!.attributes['log.record.uid']).toBe(bounded.attributes['log.record.uid']);
  for (const serializer of [JsonLogsSerializer, ProtobufLogsSerializer]) {
    expect(serializer.serializeRequest([toReadableLogRecord(bounded, RESOURCE)])).toBeDefined();
  }
}

function flaggedUnlessValid(record: AuditLogRecord, valid: boolean): void {
  if (!valid) expect(record.attributes['atlassian.receiver.schema_error']).toEqual(expect.any(String));
}

describe('fuzz: page parsers and mappings never throw, every record maps or is flagged', () => {
  it('org events-stream pages', () => {
    fc.assert(
      fc.property(fc.oneof(value, fc.record({ data: fc.oneof(fc.array(orgEvent, { maxLength: 4 }), value), meta: maybe(fc.record({ next: maybe(fc.oneof(hostileString, fc.constant(null))) })), links: maybe(value) }, { requiredKeys: [] })), (body) => {
        const page = orgEventPageSchema.safeParse(body);
        if (!page.success) return;
        for (const raw of page.data.data) {
          const record = mapOrgEvent(raw, { orgId: 'org-fuzz', sourceName: 'fuzz', observedMs: 0 });
          flaggedUnlessValid(record, orgEventSchema.safeParse(raw).success);
          deliverable(record);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('Jira audit record pages', () => {
    fc.assert(
      fc.property(fc.oneof(value, fc.record({ offset: maybe(fc.integer()), limit: maybe(fc.oneof(fc.integer(), hostileString)), records: fc.oneof(fc.array(productRecord, { maxLength: 4 }), value) }, { requiredKeys: [] })), (body) => {
        const page = jiraAuditPageSchema.safeParse(body);
        if (!page.success) return;
        for (const raw of page.data.records) {
          jiraCreatedMs(raw);
          expect(jiraRecordId(raw) ?? contentHash(raw)).toEqual(expect.any(String));
          const record = mapJiraRecord(raw, { site: 'https://fuzz.atlassian.net', siteHost: 'fuzz.atlassian.net', sourceName: 'fuzz', observedMs: 0 });
          flaggedUnlessValid(record, jiraAuditRecordSchema.safeParse(raw).success);
          deliverable(record);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('Confluence audit record pages', () => {
    fc.assert(
      fc.property(fc.oneof(value, fc.record({ start: maybe(fc.integer()), limit: maybe(fc.oneof(fc.integer(), hostileString)), results: fc.oneof(fc.array(productRecord, { maxLength: 4 }), value) }, { requiredKeys: [] })), (body) => {
        const page = confluenceAuditPageSchema.safeParse(body);
        if (!page.success) return;
        for (const raw of page.data.results) {
          confluenceCreatedMs(raw);
          expect(confluenceFingerprint(raw)).toEqual(expect.any(String));
          const record = mapConfluenceRecord(raw, { site: 'https://fuzz.atlassian.net', siteHost: 'fuzz.atlassian.net', sourceName: 'fuzz', observedMs: 0 });
          flaggedUnlessValid(record, confluenceAuditRecordSchema.safeParse(raw).success);
          deliverable(record);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('memory stays bounded across the runs above', () => {
    // Every run's inputs are garbage once checked; a leak (a cache keyed by record, say) would show here.
    expect(process.memoryUsage().rss).toBeLessThan(1_536 * 1024 * 1024);
  });
});
