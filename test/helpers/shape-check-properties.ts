// Properties every copy-free shape check (src/sources/shape-checks.ts) must hold against its
// zod schema: it never accepts what the schema refuses; an accepted record maps exactly as the
// schema's copy of it did before the check existed; what the schema refuses is still flagged;
// and every real fixture record takes the fast path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditLogRecord } from '../../src/pipeline/audit-log-record.js';

export interface ShapeCheckCase {
  readonly name: string;
  readonly accepts: (raw: unknown) => boolean;
  readonly schema: { safeParse(raw: unknown): { success: true; data: unknown } | { success: false } };
  readonly map: (raw: unknown) => AuditLogRecord;
  readonly fixtures: readonly unknown[];
  /** Mostly records the schema accepts, some it refuses. */
  readonly records: fc.Arbitrary<unknown>;
}

// Mostly what the schemas allow, sometimes not: both sides of every check get exercised.
const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]));
/** An optional string field: a string, null or absent, now and then a wrong type. */
export const field = fc.oneof({ arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null), fc.constant(undefined)), weight: 60 }, { arbitrary: wrong, weight: 1 });
export const optBool = fc.oneof({ arbitrary: fc.oneof(fc.boolean(), fc.constant(null), fc.constant(undefined)), weight: 30 }, { arbitrary: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), weight: 1 });
/** Mostly a valid required value, now and then a wrong one. */
export const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 20 }, { arbitrary: field, weight: 1 });
/** An object of optional string fields, or (rarely) something else. */
export const strings = (...keys: string[]) => fc.oneof({ arbitrary: field, weight: 1 }, { arbitrary: fc.record(Object.fromEntries(keys.map((k) => [k, field])), { requiredKeys: [] }), weight: 5 });
export const list = <T>(item: fc.Arbitrary<T>) => fc.oneof({ arbitrary: field, weight: 1 }, { arbitrary: fc.array(item, { maxLength: 3 }), weight: 5 });
/** A free-form attribute bag, including the shapes zod's record refuses. */
export const bag = fc.oneof(field, fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant(Object.create(null) as object), fc.constant({ constructor: 'x' }));

export function shapeCheckProperties(c: ShapeCheckCase): void {
  const input = fc.oneof({ arbitrary: c.records, weight: 4 }, { arbitrary: fc.anything(), weight: 1 });
  describe(`${c.name}: the copy-free shape check`, () => {
    it('accepts every real record in the fixtures (the hot path is the copy-free one)', () => {
      expect(c.fixtures.length).toBeGreaterThan(5);
      for (const raw of c.fixtures) expect(c.accepts(raw)).toBe(true);
    });

    it('accepts only what the schema accepts, and those records map as the schema copy did (property-based)', () => {
      let accepted = 0;
      fc.assert(fc.property(input, (raw) => {
        if (!c.accepts(raw)) return;
        accepted++;
        const parsed = c.schema.safeParse(raw);
        expect(parsed.success).toBe(true);
        const mapped = c.map(raw);
        const before = c.map((parsed as { data: unknown }).data);
        expect(mapped.attributes).toEqual(before.attributes);
        expect([mapped.uid, mapped.timeMs, mapped.severity]).toEqual([before.uid, before.timeMs, before.severity]);
        expect(mapped.body).toBe(raw);
      }), { numRuns: 2000 });
      expect(accepted).toBeGreaterThan(200);
    });

    it('refuses what the schema refuses, and such records are still flagged', () => {
      let refused = 0;
      fc.assert(fc.property(input, (raw) => {
        if (c.schema.safeParse(raw).success) return;
        refused++;
        expect(c.accepts(raw)).toBe(false);
        expect(c.map(raw).attributes['atlassian.receiver.schema_error']).toEqual(expect.any(String));
      }), { numRuns: 2000 });
      expect(refused).toBeGreaterThan(200);
    });
  });
}
