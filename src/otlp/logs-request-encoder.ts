import type { AttributeValue, AuditLogRecord } from '../pipeline/audit-log-record.js';
import { limitDepth } from '../pipeline/depth-limit.js';
import { writeKeyValues } from './any-value-encoding.js';
import { writeLogRecord } from './log-record-encoding.js';
import { ProtobufWriter, WireType } from './protobuf-writer.js';

// Field numbers: opentelemetry/proto/collector/logs/v1/logs_service.proto, logs/v1/logs.proto,
// resource/v1/resource.proto and common/v1/common.proto.
const REQUEST_RESOURCE_LOGS = 1;
const RESOURCE_LOGS_RESOURCE = 1;
const RESOURCE_LOGS_SCOPE_LOGS = 2;
const SCOPE_LOGS_SCOPE = 1;
const SCOPE_LOGS_LOG_RECORDS = 2;
const RESOURCE_ATTRIBUTES = 1;
const RESOURCE_DROPPED_ATTRIBUTES_COUNT = 2;
const SCOPE_NAME = 1;
const SCOPE_VERSION = 2;

export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
}

/**
 * Encodes an OTLP ExportLogsServiceRequest straight from the receiver's records: one
 * ResourceLogs, one ScopeLogs, one LogRecord per record, with no intermediate objects. It
 * replaces @opentelemetry/otlp-transformer's ProtobufLogsSerializer on the hot path (which needs
 * an SDK ReadableLogRecord per record and a size-estimating pass) and writes the same bytes
 * (test/otlp/logs-request-encoder.test.ts compares both). The resource and the scope never
 * change, so they are encoded once.
 */
export class LogsRequestEncoder {
  private readonly resource: Buffer;
  private readonly scope: Buffer;
  /**
   * Reused by every request (it grows to the largest request once, not per request); each
   * request then gets an exact-size copy, so one in flight holds only its own bytes.
   */
  private readonly scratch = new ProtobufWriter(1024 * 1024);

  constructor(resourceAttributes: Readonly<Record<string, AttributeValue>>, scope: InstrumentationScope) {
    const r = new ProtobufWriter(1024);
    r.tag(RESOURCE_LOGS_RESOURCE, WireType.LEN);
    const resource = r.fork();
    writeKeyValues(r, resourceAttributes, RESOURCE_ATTRIBUTES, 1);
    r.tag(RESOURCE_DROPPED_ATTRIBUTES_COUNT, WireType.VARINT);
    r.uint32(0);
    r.join(resource);
    this.resource = Buffer.from(r.finish());

    const s = new ProtobufWriter(256);
    s.tag(SCOPE_LOGS_SCOPE, WireType.LEN);
    const at = s.fork();
    s.tag(SCOPE_NAME, WireType.LEN);
    s.string(scope.name);
    if (scope.version) {
      s.tag(SCOPE_VERSION, WireType.LEN);
      s.string(scope.version);
    }
    s.join(at);
    this.scope = Buffer.from(s.finish());
  }

  private readonly one = new ProtobufWriter(16 * 1024);

  /**
   * One LogRecord message's bytes, as `encode` writes it inside a request (an exact-size copy).
   * Throws NestedTooDeep for a record nested MAX_VALUE_DEPTH levels or deeper.
   */
  encodeRecord(record: AuditLogRecord): Buffer {
    const w = this.one;
    w.reset();
    writeLogRecord(w, record);
    return Buffer.from(w.finish());
  }

  /** The request's bytes. No records: an empty request (zero bytes), valid OTLP, as the SDK sends it. */
  encode(records: readonly AuditLogRecord[]): Buffer {
    if (records.length === 0) return Buffer.alloc(0);
    const w = this.scratch;
    w.reset();
    w.tag(REQUEST_RESOURCE_LOGS, WireType.LEN);
    const resourceLogs = w.fork();
    w.raw(this.resource);
    w.tag(RESOURCE_LOGS_SCOPE_LOGS, WireType.LEN);
    const scopeLogs = w.fork();
    w.raw(this.scope);
    for (const record of records) {
      w.tag(SCOPE_LOGS_LOG_RECORDS, WireType.LEN);
      if (record.encoded) {
        w.uint32(record.encoded.length);
        w.raw(record.encoded);
        continue;
      }
      const at = w.fork();
      // Not prepared by the pipeline (which limits depth first): limit it here rather than throw.
      writeLogRecord(w, limitDepth(record).record);
      w.join(at);
    }
    w.join(scopeLogs);
    w.join(resourceLogs);
    // A copy of exactly the request's size: the scratch buffer is overwritten by the next call.
    return Buffer.from(w.finish());
  }
}
