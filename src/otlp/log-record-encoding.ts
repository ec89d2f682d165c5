import type { AttributeValue, AuditLogRecord } from '../pipeline/audit-log-record.js';
import { writeAnyValue, writeKeyValues } from './any-value-encoding.js';
import { type ProtobufWriter, WireType } from './protobuf-writer.js';

// Field numbers: opentelemetry/proto/logs/v1/logs.proto, LogRecord.
const TIME_UNIX_NANO = 1;
const SEVERITY_NUMBER = 2;
const SEVERITY_TEXT = 3;
const BODY = 5;
const ATTRIBUTES = 6;
const DROPPED_ATTRIBUTES_COUNT = 7;
const OBSERVED_TIME_UNIX_NANO = 11;
const EVENT_NAME = 12;

const TWO_32 = 0x1_0000_0000;

/**
 * One LogRecord's content, field for field as @opentelemetry/otlp-transformer writes a
 * ReadableLogRecord (logs/protobuf/logs-serializer.js): the same fields, order and omissions
 * (severity 0, empty texts), and dropped_attributes_count written even when 0, so a collector
 * sees the same bytes as before the receiver had its own encoder. `body` replaces the record's
 * (wireBody's JSON text). Throws NestedTooDeep for a record nested deeper than MAX_VALUE_DEPTH
 * (the body counts from 0, attribute values from 1).
 */
export function writeLogRecord(w: ProtobufWriter, record: AuditLogRecord, body: AttributeValue = record.body): void {
  w.tag(TIME_UNIX_NANO, WireType.FIXED64);
  writeUnixNanos(w, record.timeMs);
  if (record.severity.number) {
    w.tag(SEVERITY_NUMBER, WireType.VARINT);
    w.uint32(record.severity.number);
  }
  if (record.severity.text) {
    w.tag(SEVERITY_TEXT, WireType.LEN);
    w.string(record.severity.text);
  }
  if (body !== undefined) {
    w.tag(BODY, WireType.LEN);
    const at = w.fork();
    writeAnyValue(w, body, 0);
    w.join(at);
  }
  writeKeyValues(w, record.attributes, ATTRIBUTES, 1);
  w.tag(DROPPED_ATTRIBUTES_COUNT, WireType.VARINT);
  w.uint32(0);
  w.tag(OBSERVED_TIME_UNIX_NANO, WireType.FIXED64);
  writeUnixNanos(w, record.observedMs);
  if (record.eventName) {
    w.tag(EVENT_NAME, WireType.LEN);
    w.string(record.eventName);
  }
}

/**
 * Epoch milliseconds as fixed64 nanoseconds. ms × 10^6 passes 2^53 for any present-day time,
 * so a float product would be rounded: the integer case splits ms at 2^32 and multiplies each
 * part exactly (r × 10^6 < 2^52). Anything else (a fraction of a millisecond, a time before
 * 1970) goes through BigInt, after the same [seconds, nanos] rounding the SDK's HrTime applies;
 * a negative time is written as its 64-bit two's complement, which a collector reads back as a
 * signed time before 1970. Not a finite number: 0, as the SDK writes it.
 */
export function writeUnixNanos(w: ProtobufWriter, ms: number): void {
  if (Number.isSafeInteger(ms) && ms >= 0) {
    const q = Math.floor(ms / TWO_32);
    const r = (ms - q * TWO_32) * 1_000_000;
    w.fixed64(r >>> 0, q * 1_000_000 + Math.floor(r / TWO_32));
    return;
  }
  if (!Number.isFinite(ms)) return w.fixed64(0, 0);
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  const total = BigInt.asUintN(64, BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
  w.fixed64(Number(total & 0xffff_ffffn), Number(total >> 32n));
}
