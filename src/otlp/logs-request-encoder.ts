import type { AttributeValue, AuditLogRecord } from '../pipeline/audit-log-record.js';
import { limitDepth } from '../pipeline/depth-limit.js';
import { writeKeyValues } from './any-value-encoding.js';
import { type BodyFormat, wireBody } from './body-format.js';
import { writeLogRecord } from './log-record-encoding.js';
import { ProtobufWriter, varint32Size, WireType } from './protobuf-writer.js';
import { coalesce, RecordArena } from './record-arena.js';

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
  constructor(
    resourceAttributes: Readonly<Record<string, AttributeValue>>,
    scope: InstrumentationScope,
    private readonly bodyFormat: BodyFormat = 'map',
  ) {
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
  private readonly arena = new RecordArena();

  /**
   * One record as the request carries it: the ScopeLogs `log_records` field (tag, length and
   * the LogRecord message), in the shared arena. Throws NestedTooDeep for a record nested
   * MAX_VALUE_DEPTH levels or deeper.
   */
  encodeRecord(record: AuditLogRecord): Buffer {
    return this.arena.copy(this.recordField(record));
  }

  /** `encoded` (from encodeRecord) will never be sent again: its bytes may be reused (RecordArena.release). */
  releaseRecord(encoded: Uint8Array): void {
    this.arena.release(encoded);
  }

  /** The record's field in the scratch writer (valid until its next use). */
  private recordField(record: AuditLogRecord): Buffer {
    const w = this.one;
    w.reset();
    w.tag(SCOPE_LOGS_LOG_RECORDS, WireType.LEN);
    const at = w.fork();
    writeLogRecord(w, record, wireBody(record.body, this.bodyFormat));
    w.join(at);
    return w.finish();
  }

  /** The request's bytes in one buffer. No records: an empty request (zero bytes), valid OTLP, as the SDK sends it. */
  encode(records: readonly AuditLogRecord[]): Buffer {
    return Buffer.concat(this.encodeParts(records));
  }

  /**
   * The request's bytes as consecutive parts, to be sent in order: the framing, then the
   * records. Prepared records are not copied: their slices of the arena go out as they are,
   * merged where they sit back to back (one part per arena block for a page sent whole).
   */
  encodeParts(records: readonly AuditLogRecord[]): Uint8Array[] {
    if (records.length === 0) return [];
    const fields: Uint8Array[] = [];
    let recordBytes = 0;
    for (const record of records) {
      // Not prepared by the pipeline (which limits depth first): limit it here rather than throw.
      const field = record.encoded ?? this.encodeRecord(limitDepth(record).record);
      fields.push(field);
      recordBytes += field.length;
    }
    const scopeLogs = this.scope.length + recordBytes;
    const resourceLogs = this.resource.length + 1 + varint32Size(scopeLogs) + scopeLogs;
    const head = new ProtobufWriter(this.resource.length + this.scope.length + 32);
    head.tag(REQUEST_RESOURCE_LOGS, WireType.LEN);
    head.uint32(resourceLogs);
    head.raw(this.resource);
    head.tag(RESOURCE_LOGS_SCOPE_LOGS, WireType.LEN);
    head.uint32(scopeLogs);
    head.raw(this.scope);
    return [head.finish(), ...coalesce(fields)];
  }
}
