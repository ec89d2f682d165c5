// The copy-free check used on the hot path must never accept what the schema refuses, and an
// event it accepts must map exactly as the schema's copy of it did (before the check existed).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOrgEvent } from '../../../src/sources/org-events/guard.js';
import { mapOrgEvent } from '../../../src/sources/org-events/map.js';
import { orgEventSchema } from '../../../src/sources/org-events/schema.js';

const ELASTIC_DIR = fileURLToPath(new URL('../../fixtures/org-events/elastic/', import.meta.url));
const CTX = { orgId: 'org-1', sourceName: 'org', observedMs: 1_700_000_000_000 };

const realEvents: unknown[] = readdirSync(ELASTIC_DIR)
  .filter((f) => f.endsWith('.log'))
  .flatMap((f) => readFileSync(ELASTIC_DIR + f, 'utf8').split('\n').filter((l) => l.trim() !== ''))
  .map((line): unknown => {
    const doc = JSON.parse(line) as { message?: string };
    return typeof doc.message === 'string' ? JSON.parse(doc.message) : doc;
  });

// Mostly what the schema allows, sometimes not: both sides of every check get exercised.
const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]));
const field = fc.oneof({ arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null), fc.constant(undefined)), weight: 60 }, { arbitrary: wrong, weight: 1 });
const bag = fc.oneof(field, fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant(Object.create(null) as object), fc.constant({ constructor: 'x' }));
const ref = fc.oneof({ arbitrary: fc.record({ id: field, type: field, attributes: bag }, { requiredKeys: [] }), weight: 20 }, { arbitrary: field, weight: 1 });
const strings = (...keys: string[]) => fc.oneof({ arbitrary: field, weight: 1 }, { arbitrary: fc.record(Object.fromEntries(keys.map((k) => [k, field])), { requiredKeys: [] }), weight: 5 });
const event = fc.record({
  id: fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 8 }), weight: 20 }, { arbitrary: field, weight: 1 }),
  type: field,
  attributes: fc.oneof({ arbitrary: field, weight: 1 }, { weight: 20, arbitrary: fc.record({
    time: fc.oneof({ arbitrary: fc.string({ maxLength: 8 }), weight: 20 }, { arbitrary: field, weight: 1 }), processedAt: field, action: field,
    actor: fc.oneof(field, fc.record({ id: field, name: field, email: field, auth: strings('authType', 'tokenId', 'tokenLabel'), onBehalfOf: strings('id', 'name', 'email'), app: fc.oneof(field, fc.record({ id: field, type: field, attributes: bag }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    context: fc.oneof(field, fc.array(ref, { maxLength: 3 })),
    container: fc.oneof(field, fc.array(ref, { maxLength: 3 })),
    location: strings('ip', 'geo', 'countryName', 'regionName', 'city'),
  }, { requiredKeys: ['time'] }) }),
  message: strings('content', 'format'),
}, { requiredKeys: [] });

/** What mapOrgEvent produced when every event went through the schema: the mapping of its copy. */
function viaSchema(raw: unknown) {
  const parsed = orgEventSchema.safeParse(raw);
  return parsed.success ? mapOrgEvent(parsed.data, CTX) : undefined;
}

describe('isOrgEvent', () => {
  it('accepts every real event in the fixtures (the hot path is the copy-free one)', () => {
    expect(realEvents.length).toBeGreaterThan(5);
    for (const raw of realEvents) expect(isOrgEvent(raw)).toBe(true);
  });

  it('accepts only what the schema accepts, and those events map as the schema copy did (property-based)', () => {
    let accepted = 0;
    fc.assert(fc.property(fc.oneof({ arbitrary: event, weight: 4 }, { arbitrary: fc.anything(), weight: 1 }), (raw) => {
      if (!isOrgEvent(raw)) return;
      accepted++;
      expect(orgEventSchema.safeParse(raw).success).toBe(true);
      const mapped = mapOrgEvent(raw, CTX);
      const expected = viaSchema(raw)!;
      expect(mapped.attributes).toEqual(expected.attributes);
      expect([mapped.uid, mapped.timeMs, mapped.severity]).toEqual([expected.uid, expected.timeMs, expected.severity]);
      expect(mapped.body).toBe(raw);
    }), { numRuns: 2000 });
    expect(accepted).toBeGreaterThan(200);
  });

  it('refuses what the schema refuses, and such events are still flagged', () => {
    let refused = 0;
    fc.assert(fc.property(fc.oneof({ arbitrary: event, weight: 4 }, { arbitrary: fc.anything(), weight: 1 }), (raw) => {
      if (orgEventSchema.safeParse(raw).success) return;
      refused++;
      expect(isOrgEvent(raw)).toBe(false);
      expect(mapOrgEvent(raw, CTX).attributes['atlassian.receiver.schema_error']).toEqual(expect.any(String));
    }), { numRuns: 2000 });
    expect(refused).toBeGreaterThan(200);
  });
});
