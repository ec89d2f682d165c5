import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogsRequestEncoder } from '../../src/otlp/logs-request-encoder.js';
import { receiverResource } from '../../src/otlp/resource.js';
import { toReadableLogRecord } from '../../src/otlp/to-readable.js';
import { Severity, type AttributeValue, type AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../../src/version.js';
import { otlpTypes } from '../helpers/otlp-proto.js';
import { mappedFixtureRecords } from './mapped-fixture-records.js';

const SERVICE = { name: 'audit-test', resourceAttributes: { 'deployment.environment.name': 'test', 'host.name': 'hôte-😀' } };
const resource = receiverResource(SERVICE, 'instance-1');
const encoder = new LogsRequestEncoder(resource.attributes, { name: RECEIVER_NAME, version: RECEIVER_VERSION });

/** What the receiver sent before it had its own encoder: the official SDK serializer. */
function official(records: readonly AuditLogRecord[]): Uint8Array {
  return ProtobufLogsSerializer.serializeRequest(records.map((r) => toReadableLogRecord(r, resource))) ?? new Uint8Array();
}

/** The request as the vendored .proto files read it; 64-bit integers as decimal strings (exact). */
function decoded(bytes: Uint8Array): unknown {
  const { request } = otlpTypes();
  return request.toObject(request.decode(bytes), { longs: String, enums: Number, bytes: Array, defaults: false });
}

/** The same request from both encoders: equal once decoded, and the same bytes. */
function expectSameAsOfficial(records: readonly AuditLogRecord[]): Buffer {
  const ours = encoder.encode(records);
  const theirs = official(records);
  expect(decoded(ours)).toEqual(decoded(theirs));
  expect(Buffer.compare(ours, Buffer.from(theirs)), 'bytes differ from the SDK serializer').toBe(0);
  // Records encoded one by one ahead of their request (the sink's prepare) make the same request.
  const prepared = records.map((r): AuditLogRecord => ({ ...r, body: null, attributes: {}, encoded: encoder.encodeRecord(r) }));
  expect(Buffer.compare(encoder.encode(prepared), ours), 'pre-encoded records make a different request').toBe(0);
  return ours;
}

function record(body: AttributeValue, attributes: Record<string, AttributeValue> = {}, over: Partial<AuditLogRecord> = {}): AuditLogRecord {
  return { uid: 'u', timeMs: 1_733_011_200_123, observedMs: 1_733_011_260_456, eventName: 'atlassian.audit', severity: Severity.INFO, body, attributes, ...over };
}

describe('LogsRequestEncoder against the official ProtobufLogsSerializer', () => {
  const fixtures = mappedFixtureRecords();

  it.each(Object.entries(fixtures))('encodes every mapped %s fixture record as the SDK does', (_source, records) => {
    expect(records.length).toBeGreaterThan(3);
    expectSameAsOfficial(records);
    for (const r of records) expectSameAsOfficial([r]);
  });

  it('carries the resource attributes, one scope with the receiver name and version, and every field of the record', () => {
    const r = fixtures.org[0]!;
    const request = otlpTypes().request.decode(encoder.encode([r])).toJSON() as {
      resourceLogs: { resource: { attributes: { key: string; value: { stringValue: string } }[] }; scopeLogs: { scope: unknown; logRecords: Record<string, unknown>[] }[] }[];
    };
    expect(request.resourceLogs).toHaveLength(1);
    const attrs = Object.fromEntries(request.resourceLogs[0]!.resource.attributes.map((kv) => [kv.key, kv.value.stringValue]));
    expect(attrs).toEqual({ 'deployment.environment.name': 'test', 'host.name': 'hôte-😀', 'service.name': 'audit-test', 'service.version': RECEIVER_VERSION, 'service.instance.id': 'instance-1' });
    expect(request.resourceLogs[0]!.scopeLogs).toHaveLength(1);
    expect(request.resourceLogs[0]!.scopeLogs[0]!.scope).toEqual({ name: RECEIVER_NAME, version: RECEIVER_VERSION });
    const log = request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(log['timeUnixNano']).toBe(String(BigInt(r.timeMs) * 1_000_000n));
    expect(log['observedTimeUnixNano']).toBe('1700000000123000000');
    expect(log['severityNumber']).toBe('SEVERITY_NUMBER_INFO');
    expect(log['severityText']).toBe('INFO');
    expect(log['eventName']).toBe(r.eventName);
  });

  it('encodes a mixed batch of every source type, and a batch over 1 MB', () => {
    const mixed = Object.values(fixtures).flat();
    expectSameAsOfficial(mixed);
    const big: AuditLogRecord[] = [];
    while (big.length < 700) big.push(...mixed.slice(0, 700 - big.length));
    const bytes = expectSameAsOfficial(big.map((r, i) => ({ ...r, attributes: { ...r.attributes, padding: 'p'.repeat(i) } })));
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
  });

  it('sends an empty request (zero bytes, valid OTLP) for no records, as the SDK did for `check`', () => {
    expect(encoder.encode([])).toHaveLength(0);
    expectSameAsOfficial([]);
    expect(decoded(encoder.encode([]))).toEqual({});
  });

  it('writes minimal length varints at every boundary, including where UTF-8 outgrows the UTF-16 length', () => {
    for (const n of [0, 1, 126, 127, 128, 129, 16_382, 16_383, 16_384, 16_385, 70_000, 2_097_152]) {
      expectSameAsOfficial([record('x'.repeat(n))]);
      expectSameAsOfficial([record(`${'y'.repeat(Math.max(0, n - 1))}é`)]);
      expectSameAsOfficial([record({ k: '€'.repeat(Math.ceil(n / 3)) })]);
    }
  });

  it('writes a string-valued key/value in one pass with the same bytes, at every length boundary of key, value and pair', () => {
    const keys = [1, 60, 122, 125, 126, 127, 128, 200].map((n) => 'k'.repeat(n));
    const lengths = [0, 1, 120, 121, 122, 123, 124, 125, 126, 127, 128, 16_250, 16_251, 16_252, 16_253, 16_254, 16_255, 16_256, 16_367, 16_368, 16_369, 16_383, 16_384];
    for (const key of keys) {
      for (const n of lengths) {
        const ascii = 'v'.repeat(n);
        // Non-ASCII at the end: the one-pass write gives up after copying nearly everything.
        const late = n > 0 ? `${'w'.repeat(n - 1)}é` : 'é';
        expectSameAsOfficial([record({ [key]: ascii, nested: { [key]: late } }, { [key]: ascii, [`${key}é`]: late })]);
      }
    }
  });

  it('encodes keys the same once more distinct keys have been seen than it keeps encoded', () => {
    const many = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`key-${i}`, `value-${i}`]));
    expectSameAsOfficial([record(many, { 'log.record.uid': 'u' })]);
    expectSameAsOfficial([record({ 'late-key-1': 'x', 'key-4999': 'y' }, { 'late-key-2': 'z' })]);
  });

  it('maps numbers as the SDK does: int64 (negative ones in 10 bytes), doubles beyond it, NaN and infinities', () => {
    const numbers = [0, -0, 1, -1, 127, 128, 2 ** 31, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 + 2, 2 ** 62, 2 ** 63, -(2 ** 63), -(2 ** 63) - 4096, 1.5, -0.1, 1e300, Number.EPSILON, Number.NaN, Infinity, -Infinity];
    expectSameAsOfficial(numbers.map((n) => record(n, { n, list: [n, [n]], map: { n } })));
    const ints = decoded(encoder.encode([record(-1)])) as { resourceLogs: { scopeLogs: { logRecords: { body: unknown }[] }[] }[] };
    expect(ints.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.body).toEqual({ intValue: '-1' });
  });

  it('maps null and empty values as the SDK does', () => {
    expectSameAsOfficial([record(null, { empty: '', nothing: null, no: false, list: [], map: {}, nested: [null, {}, [[]]] })]);
    expectSameAsOfficial([record('', {}, { eventName: '' })]);
    expectSameAsOfficial([record({ a: undefined } as unknown as AttributeValue)]);
    expectSameAsOfficial([{ ...record('b'), body: undefined as unknown as AttributeValue }]);
  });

  it('agrees with the SDK on any JSON-like body and attributes (property-based)', () => {
    const char = fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
      { weight: 2, arbitrary: fc.constantFrom('a', 'é', '€', '😀', '\u0000', '\uffff') },
    );
    const text = fc.oneof(fc.string({ unit: char, maxLength: 40 }), fc.string({ unit: char, minLength: 100, maxLength: 300 }));
    const number = fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(Number));
    const { value } = fc.letrec<{ value: AttributeValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text, number, fc.boolean(), fc.constant(null),
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(text, tie('value'), { maxKeys: 5 }),
      ),
    }));
    const timeMs = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 32n * 1000n - 1n }).map(Number), fc.double({ min: 0, max: 4e12, noNaN: true }));
    const auditRecord = fc.record({
      uid: text, timeMs, observedMs: timeMs, eventName: text,
      severity: fc.constantFrom(Severity.INFO, Severity.WARN),
      body: value, attributes: fc.dictionary(text, value, { maxKeys: 8 }),
    });
    fc.assert(fc.property(fc.array(auditRecord, { maxLength: 6 }), (records) => { expectSameAsOfficial(records); }), { numRuns: 300 });
  });
});

describe('LogsRequestEncoder timestamps', () => {
  const times = (ms: number): bigint[] => {
    const request = otlpTypes().request.toObject(otlpTypes().request.decode(encoder.encode([record(null, {}, { timeMs: ms, observedMs: ms })])), { longs: String, defaults: true });
    const log = (request as { resourceLogs: { scopeLogs: { logRecords: { timeUnixNano: string; observedTimeUnixNano: string }[] }[] }[] }).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    return [BigInt(log.timeUnixNano), BigInt(log.observedTimeUnixNano)];
  };

  it('converts every whole millisecond exactly, past 2^53 nanoseconds, up to where fixed64 wraps', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (ms) => {
      const expected = BigInt.asUintN(64, BigInt(ms) * 1_000_000n);
      expect(times(ms)).toEqual([expected, expected]);
    }), { numRuns: 2000 });
    for (const ms of [0, 1, 2 ** 32 - 1, 2 ** 32, 1_733_011_200_123, 18_446_744_073_709, 18_446_744_073_710, Number.MAX_SAFE_INTEGER]) {
      expect(times(ms)[0]).toBe(BigInt.asUintN(64, BigInt(ms) * 1_000_000n));
    }
  });

  it('writes a time before 1970 as its two\'s complement and a time that is not a number as 0', () => {
    expect(BigInt.asIntN(64, times(-1)[0]!)).toBe(-1_000_000n);
    expect(BigInt.asIntN(64, times(-1.5)[0]!)).toBe(-1_500_000n);
    expect(times(Number.NaN)).toEqual([0n, 0n]);
    expect(times(Infinity)).toEqual([0n, 0n]);
  });
});
