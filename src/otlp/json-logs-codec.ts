import { JsonLogsSerializer, type IExportLogsServiceResponse } from '@opentelemetry/otlp-transformer';
import { type BodyFormat, wireBody } from './body-format.js';
import type { LogsCodec } from './logs-codec.js';
import type { ReceiverResource } from './resource.js';
import { toReadableLogRecord } from './to-readable.js';

/**
 * OTLP/HTTP JSON by @opentelemetry/otlp-transformer's serializer (int64 as strings, ids as hex,
 * as the spec's JSON mapping wants). Loaded only when `protocol: http/json` is configured.
 */
export function jsonLogsCodec(resource: ReceiverResource, bodyFormat: BodyFormat = 'map'): LogsCodec {
  return {
    contentType: 'application/json',
    encode: (records) => JsonLogsSerializer.serializeRequest(records.map((r) => toReadableLogRecord(r, resource, wireBody(r.body, bodyFormat)))) ?? new Uint8Array(),
    partialSuccess: (body) => {
      // An unparsable body reads as an empty response ({}); `null` parses to null.
      const p = (JsonLogsSerializer.deserializeResponse(body) as IExportLogsServiceResponse | null)?.partialSuccess;
      const rejected = Number(p?.rejectedLogRecords ?? 0);
      return typeof p?.errorMessage === 'string' && p.errorMessage ? { rejected, message: p.errorMessage } : { rejected };
    },
  };
}
