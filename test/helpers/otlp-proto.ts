// Loads the vendored OTLP .proto files and converts decoded requests into
// plain ReceivedLogRecord objects. Both the protobuf and the JSON path end in
// the same protobufjs message, so they flatten identically by construction.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const PROTO_ROOT = fileURLToPath(new URL('../fixtures/opentelemetry-proto/', import.meta.url));

export interface ReceivedLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
}

export interface OtlpTypes {
  request: protobuf.Type;
  response: protobuf.Type;
}

const loaded = new Map<string, OtlpTypes>();

/**
 * The Export<Signal>ServiceRequest/Response types of one OTLP signal (`logs`, `metrics`),
 * loaded once per worker from the vendored .proto files.
 */
export function otlpServiceTypes(signal: 'logs' | 'metrics'): OtlpTypes {
  const hit = loaded.get(signal);
  if (hit) return hit;
  const root = new protobuf.Root();
  // Imports in the .proto files are written relative to the repository root.
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync(`opentelemetry/proto/collector/${signal}/v1/${signal}_service.proto`);
  root.resolveAll();
  const Signal = signal === 'logs' ? 'Logs' : 'Metrics';
  const types = {
    request: root.lookupType(`opentelemetry.proto.collector.${signal}.v1.Export${Signal}ServiceRequest`),
    response: root.lookupType(`opentelemetry.proto.collector.${signal}.v1.Export${Signal}ServiceResponse`),
  };
  loaded.set(signal, types);
  return types;
}

/** The ExportLogsService request/response types. */
export function otlpTypes(): OtlpTypes {
  return otlpServiceTypes('logs');
}

type Plain = Record<string, unknown>;

const TO_PLAIN: protobuf.IConversionOptions = { longs: BigInt, enums: Number, defaults: false };

/** Flattens an ExportLogsServiceRequest message into one entry per LogRecord. */
export function flattenRequest(message: protobuf.Message): ReceivedLogRecord[] {
  const request = otlpTypes().request.toObject(message, TO_PLAIN);
  const out: ReceivedLogRecord[] = [];
  for (const resourceLogs of list(request['resourceLogs'])) {
    const resource = keyValues(obj(resourceLogs['resource'])['attributes']);
    for (const scopeLogs of list(resourceLogs['scopeLogs'])) {
      const scope = obj(scopeLogs['scope']);
      for (const record of list(scopeLogs['logRecords'])) {
        out.push({
          timeUnixNano: big(record['timeUnixNano']),
          observedTimeUnixNano: big(record['observedTimeUnixNano']),
          severityNumber: num(record['severityNumber']),
          severityText: str(record['severityText']),
          eventName: str(record['eventName']),
          body: anyValue(record['body']),
          attributes: keyValues(record['attributes']),
          resource,
          scope: { name: str(scope['name']), version: str(scope['version']) },
        });
      }
    }
  }
  return out;
}

/** AnyValue → plain JS; an unset oneof (or a missing value) becomes null. */
function anyValue(value: unknown): unknown {
  const v = obj(value);
  if ('stringValue' in v) return str(v['stringValue']);
  if ('boolValue' in v) return v['boolValue'] === true;
  // int64 as number on purpose: tests compare against JS numbers.
  if ('intValue' in v) return Number(big(v['intValue']));
  if ('doubleValue' in v) return num(v['doubleValue']);
  if ('arrayValue' in v) return list(obj(v['arrayValue'])['values']).map(anyValue);
  if ('kvlistValue' in v) return keyValues(obj(v['kvlistValue'])['values']);
  if ('bytesValue' in v) return bytes(v['bytesValue']);
  return null;
}

function keyValues(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list(value)) out[str(kv['key'])] = anyValue(kv['value']);
  return out;
}

function obj(value: unknown): Plain {
  return typeof value === 'object' && value !== null ? (value as Plain) : {};
}

function list(value: unknown): Plain[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function big(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  return 0n;
}

function bytes(value: unknown): Uint8Array {
  // Copy so Buffer (proto path) and Buffer slices compare equal as Uint8Array.
  return value instanceof Uint8Array ? new Uint8Array(value) : new Uint8Array(0);
}

/** google.rpc.Status {code=1, message=2}, hand-encoded: the proto is not vendored. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}
