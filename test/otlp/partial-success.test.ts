import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeExportLogsResponse } from '../../src/otlp/partial-success.js';
import { otlpTypes } from '../helpers/otlp-proto.js';

/** A response as protobufjs encodes it from the vendored .proto (int64 given as a decimal string, exact). */
function encoded(partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string }): Uint8Array {
  const { response } = otlpTypes();
  return response.encode(response.fromObject(partialSuccess ? { partialSuccess } : {})).finish();
}

/** What protobufjs reads back from the same bytes: the reference. */
function reference(bytes: Uint8Array): { rejected: number; message: string } {
  const { response } = otlpTypes();
  const o = response.toObject(response.decode(bytes), { longs: String, defaults: true }) as { partialSuccess?: { rejectedLogRecords: string; errorMessage: string } };
  return { rejected: Number(o.partialSuccess?.rejectedLogRecords ?? 0), message: o.partialSuccess?.errorMessage ?? '' };
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

describe('decodeExportLogsResponse against protobufjs', () => {
  it('reads an empty body, an empty response and an empty partial_success as nothing rejected', () => {
    expect(decodeExportLogsResponse(new Uint8Array())).toEqual({ rejected: 0, message: '' });
    expect(decodeExportLogsResponse(encoded())).toEqual({ rejected: 0, message: '' });
    expect(decodeExportLogsResponse(encoded({}))).toEqual({ rejected: 0, message: '' });
  });

  it('reads rejected_log_records and error_message as protobufjs does (property-based)', () => {
    fc.assert(fc.property(int64, fc.string({ unit: 'binary', maxLength: 300 }), (rejected, message) => {
      const bytes = encoded({ rejectedLogRecords: String(rejected), errorMessage: message });
      expect(decodeExportLogsResponse(bytes)).toEqual(reference(bytes));
      expect(decodeExportLogsResponse(bytes)).toEqual({ rejected: Number(rejected), message });
    }), { numRuns: 500 });
  });

  it('skips fields it does not know, of every wire type, and merges a repeated partial_success', () => {
    const w = protobuf.Writer.create();
    w.uint32((7 << 3) | 0).uint64(123456789012345);   // unknown varint
    w.uint32((8 << 3) | 1).fixed64(42);                // unknown fixed64
    w.uint32((9 << 3) | 5).fixed32(7);                 // unknown fixed32
    w.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 0).int64(5).uint32((3 << 3) | 2).string('future field').ldelim();
    w.uint32((10 << 3) | 2).string('unknown bytes');
    w.uint32((1 << 3) | 2).fork().uint32((2 << 3) | 2).string('second part').ldelim();
    const bytes = w.finish();
    expect(reference(bytes)).toEqual({ rejected: 5, message: 'second part' });
    expect(decodeExportLogsResponse(bytes)).toEqual({ rejected: 5, message: 'second part' });
  });

  it('answers undefined, never throws, for a truncated or malformed body', () => {
    const good = encoded({ rejectedLogRecords: '3', errorMessage: 'some records were too large' });
    for (let n = 1; n < good.length; n++) expect(decodeExportLogsResponse(good.subarray(0, n)), `first ${n} bytes`).toBeUndefined();
    expect(decodeExportLogsResponse(Uint8Array.of(0x0b))).toBeUndefined(); // start-group
    expect(decodeExportLogsResponse(Uint8Array.of(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))).toBeUndefined(); // 11-byte varint
    expect(decodeExportLogsResponse(Buffer.from('{"partialSuccess":{}}'))).toBeUndefined();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const result = decodeExportLogsResponse(bytes);
      if (result) expect(typeof result.rejected).toBe('number');
    }), { numRuns: 2000 });
  });
});
