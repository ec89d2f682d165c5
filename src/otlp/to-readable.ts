import type { HrTime } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';
import type { ReceiverResource } from './resource.js';

// One scope object and one Resource per ReceiverResource for every record: the serializer
// groups records by the identity of both.
const SCOPE = { name: RECEIVER_NAME, version: RECEIVER_VERSION };
const sdkResources = new WeakMap<ReceiverResource, Resource>();

function sdkResource(resource: ReceiverResource): Resource {
  let sdk = sdkResources.get(resource);
  if (!sdk) sdkResources.set(resource, (sdk = resourceFromAttributes(resource.attributes)));
  return sdk;
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/**
 * Adapts our record to the SDK's ReadableLogRecord so the official OTLP serializers encode it
 * (the http/json path; the protobuf path has its own encoder, logs-request-encoder.ts).
 */
export function toReadableLogRecord(record: AuditLogRecord, resource: ReceiverResource, body: AuditLogRecord['body'] = record.body): ReadableLogRecord {
  return {
    hrTime: hrTime(record.timeMs),
    hrTimeObserved: hrTime(record.observedMs),
    severityNumber: record.severity.number,
    severityText: record.severity.text,
    body: body as AnyValue,
    eventName: record.eventName,
    resource: sdkResource(resource),
    instrumentationScope: SCOPE,
    attributes: record.attributes as AnyValueMap,
    droppedAttributesCount: 0,
  };
}
