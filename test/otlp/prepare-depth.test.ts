// The depth limit, checked while a record is encoded ahead of its export (LogSink.prepare),
// must agree exactly with the pipeline's own walk (pipeline/depth-limit.ts) at the boundary:
// bodies count from depth 0, attribute values from 1, objects and arrays alike.
import { describe, expect, it } from 'vitest';
import type { ExporterConfig } from '../../src/config/config.js';
import { OtlpHttpSink } from '../../src/otlp/otlp-http-sink.js';
import { receiverResource } from '../../src/otlp/resource.js';
import { Severity, type AttributeValue, type AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { limitDepth, MAX_VALUE_DEPTH, nestedTooDeep } from '../../src/pipeline/depth-limit.js';
import { LogsRequestEncoder } from '../../src/otlp/logs-request-encoder.js';

function nested(levels: number, arrays: boolean): AttributeValue {
  let v: AttributeValue = 'leaf';
  for (let i = 0; i < levels; i++) v = arrays ? [v] : { k: v };
  return v;
}

function record(body: AttributeValue, attributes: Record<string, AttributeValue>): AuditLogRecord {
  return { uid: 'u', timeMs: 1, observedMs: 2, eventName: 'e', severity: Severity.INFO, body, attributes };
}

const exporter = (protocol: ExporterConfig['protocol']): ExporterConfig => ({ logsUrl: 'http://127.0.0.1:9/v1/logs', protocol, compression: 'none', headers: {}, timeoutMs: 1_000, maxRetryTimeMs: 0 });
const resource = receiverResource({ name: 'depth-test', resourceAttributes: {} });
const cases: [string, AuditLogRecord][] = [];
for (const arrays of [false, true]) {
  for (const levels of [MAX_VALUE_DEPTH - 1, MAX_VALUE_DEPTH, MAX_VALUE_DEPTH + 1]) {
    const shape = `${levels} levels of ${arrays ? 'arrays' : 'objects'}`;
    cases.push([`body, ${shape}`, record(nested(levels, arrays), { a: 'x' })]);
    cases.push([`attribute, ${shape}`, record('flat', { a: 'x', deep: nested(levels, arrays) })]);
  }
}

describe('OtlpHttpSink.prepare at the depth limit', () => {
  it.each(cases)('%s: refused exactly when the pipeline finds it too deep', (_, r) => {
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      const prepared = new OtlpHttpSink(exporter(protocol), resource).prepare(r);
      expect(prepared === undefined, protocol).toBe(nestedTooDeep(r));
    }
  });

  it.each(cases)('%s: once limited, encodes to the bytes of the limited record', (_, r) => {
    const sink = new OtlpHttpSink(exporter('http/protobuf'), resource);
    const limited = limitDepth(r).record;
    const prepared = sink.prepare(limited);
    expect(prepared?.encoded).toBeDefined();
    const encoder = new LogsRequestEncoder({}, { name: 'n', version: 'v' });
    expect(Buffer.from(prepared!.encoded!)).toEqual(encoder.encodeRecord(limited));
  });

  it('cases on both sides of the boundary exist', () => {
    expect(cases.filter(([, r]) => nestedTooDeep(r))).toHaveLength(6);
    expect(cases.filter(([, r]) => !nestedTooDeep(r))).toHaveLength(6);
  });
});
