import { describe, expect, it } from 'vitest';
import { Severity, type AttributeValue, type AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { jsonText, limitDepth, MAX_VALUE_DEPTH } from '../../src/pipeline/depth-limit.js';

/** `levels` nested objects (or arrays) around a leaf string. */
function nested(levels: number, arrays = false): AttributeValue {
  let v: AttributeValue = 'leaf';
  for (let i = 0; i < levels; i++) v = arrays ? [v] : { k: v };
  return v;
}

function record(body: AttributeValue, attributes: Record<string, AttributeValue> = {}): AuditLogRecord {
  return { uid: 'u', timeMs: 1, observedMs: 2, eventName: 'e', severity: Severity.INFO, body, attributes };
}

describe('limitDepth', () => {
  it('returns a record within the limit as the same object, uncopied', () => {
    const r = record(nested(MAX_VALUE_DEPTH), { a: nested(MAX_VALUE_DEPTH - 1, true), s: 'x', n: 1, z: null });
    const out = limitDepth(r);
    expect(out.limited).toBe(false);
    expect(out.record).toBe(r);
  });

  it('turns the part of a body one level too deep into its JSON text, keeping the rest', () => {
    const deep = nested(MAX_VALUE_DEPTH + 1);
    const r = record({ deep, keep: 'me' });
    const out = limitDepth(r);
    expect(out.limited).toBe(true);
    let v = (out.record.body as Record<string, AttributeValue>).deep;
    for (let depth = 1; depth < MAX_VALUE_DEPTH; depth++) v = (v as Record<string, AttributeValue>).k;
    expect(typeof v).toBe('string');
    // Depth 32 holds the last two levels, as text: nothing below the cut is lost.
    expect(JSON.parse(v as string)).toEqual(nested(2));
    expect((out.record.body as Record<string, AttributeValue>).keep).toBe('me');
  });

  it('limits attributes one level earlier than the body (an attribute value starts at depth 1)', () => {
    expect(limitDepth(record('b', { a: nested(MAX_VALUE_DEPTH - 1, true) })).limited).toBe(false);
    expect(limitDepth(record('b', { a: nested(MAX_VALUE_DEPTH, true) })).limited).toBe(true);
  });

  it('writes any depth back as JSON without recursion', () => {
    const deep = nested(100_000, true);
    expect(jsonText(deep)).toBe(`${'['.repeat(100_000)}"leaf"${']'.repeat(100_000)}`);
  });
});
