import type { ExporterConfig } from '../config/config.js';
import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';
import type { BodyFormat } from './body-format.js';
import { LogsRequestEncoder } from './logs-request-encoder.js';
import { decodeExportLogsResponse } from './partial-success.js';
import type { ReceiverResource } from './resource.js';

/** What the collector reported in a 2xx answer; `message` is raw (the caller makes it printable). */
export interface ResponseSummary {
  readonly rejected: number;
  readonly message?: string;
}

/** One OTLP/HTTP encoding of ExportLogsService: the request body and the response's partial success. */
export interface LogsCodec {
  readonly contentType: string;
  /** No records: the empty request (`check` sends it to prove the endpoint). */
  encode(records: readonly AuditLogRecord[]): Uint8Array;
  /**
   * The request as consecutive parts (their concatenation is `encode`'s result), sharing the
   * bytes of prepared records instead of copying them.
   */
  encodeParts?(records: readonly AuditLogRecord[]): Uint8Array[];
  /**
   * One record encoded ahead of its request, in the form `encode` embeds it (http/protobuf
   * only: see LogSink.prepare); throws NestedTooDeep.
   */
  encodeRecord?(record: AuditLogRecord): Uint8Array;
  /** A result of `encodeRecord` that will never be sent again, so its memory may be reused. */
  releaseRecord?(encoded: Uint8Array): void;
  /** undefined when the body is not a response message (a 2xx is an acknowledgement anyway). */
  partialSuccess(body: Uint8Array): ResponseSummary | undefined;
}

/**
 * The codec for the configured protocol. http/protobuf is the receiver's own (no SDK module is
 * loaded); http/json loads @opentelemetry/otlp-transformer, only when it is configured.
 */
export async function logsCodec(protocol: ExporterConfig['protocol'], resource: ReceiverResource, bodyFormat: BodyFormat = 'map'): Promise<LogsCodec> {
  if (protocol === 'http/json') return (await import('./json-logs-codec.js')).jsonLogsCodec(resource, bodyFormat);
  return protobufLogsCodec(resource, bodyFormat);
}

export function protobufLogsCodec(resource: ReceiverResource, bodyFormat: BodyFormat = 'map'): LogsCodec {
  const encoder = new LogsRequestEncoder(resource.attributes, { name: RECEIVER_NAME, version: RECEIVER_VERSION }, bodyFormat);
  return {
    contentType: 'application/x-protobuf',
    encode: (records) => encoder.encode(records),
    encodeParts: (records) => encoder.encodeParts(records),
    encodeRecord: (record) => encoder.encodeRecord(record),
    releaseRecord: (encoded) => encoder.releaseRecord(encoded),
    partialSuccess: (body) => {
      const p = decodeExportLogsResponse(body);
      if (!p) return undefined;
      return p.message ? { rejected: p.rejected, message: p.message } : { rejected: p.rejected };
    },
  };
}
