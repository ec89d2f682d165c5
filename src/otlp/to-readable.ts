import type { HrTime } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';

// One scope object for every record: the serializer groups records by scope identity.
const SCOPE = { name: RECEIVER_NAME, version: RECEIVER_VERSION };

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** Adapts our record to the SDK's ReadableLogRecord so the official OTLP serializers encode it. */
export function toReadableLogRecord(record: AuditLogRecord, resource: Resource): ReadableLogRecord {
  return {
    hrTime: hrTime(record.timeMs),
    hrTimeObserved: hrTime(record.observedMs),
    severityNumber: record.severity.number,
    severityText: record.severity.text,
    body: record.body as AnyValue,
    eventName: record.eventName,
    resource,
    instrumentationScope: SCOPE,
    attributes: record.attributes as AnyValueMap,
    droppedAttributesCount: 0,
  };
}
