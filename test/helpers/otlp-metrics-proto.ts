// Decodes ExportMetricsServiceRequest bodies with the vendored official metrics .proto
// (test/fixtures/opentelemetry-proto, see PROVENANCE.md) into one entry per data point.
import { otlpServiceTypes, type OtlpTypes } from './otlp-proto.js';

export interface ReceivedDataPoint {
  metric: string;
  unit: string;
  kind: 'sum' | 'gauge' | 'histogram' | 'other';
  attributes: Record<string, unknown>;
  value: number;
  resource: Record<string, unknown>;
  scope: string;
}

export function otlpMetricsTypes(): OtlpTypes {
  return otlpServiceTypes('metrics');
}

type Plain = Record<string, unknown>;

/** Protobuf (or, with `json`, OTLP/JSON) body → data points. */
export function decodeMetricsRequest(body: Buffer, json: boolean): ReceivedDataPoint[] {
  const type = otlpMetricsTypes().request;
  const message = json ? type.fromObject(JSON.parse(body.toString('utf8')) as Plain) : type.decode(body);
  const request = type.toObject(message, { longs: Number, enums: Number, defaults: false });
  const out: ReceivedDataPoint[] = [];
  for (const rm of list(request['resourceMetrics'])) {
    const resource = keyValues(obj(rm['resource'])['attributes']);
    for (const sm of list(rm['scopeMetrics'])) {
      const scope = String(obj(sm['scope'])['name'] ?? '');
      for (const m of list(sm['metrics'])) {
        const kind = m['sum'] ? 'sum' : m['gauge'] ? 'gauge' : m['histogram'] ? 'histogram' : 'other';
        const points = list(obj(m[kind])['dataPoints']);
        for (const p of points) {
          out.push({
            metric: String(m['name']),
            unit: String(m['unit'] ?? ''),
            kind,
            attributes: keyValues(p['attributes']),
            value: Number(p['asInt'] ?? p['asDouble'] ?? p['count'] ?? 0),
            resource,
            scope,
          });
        }
      }
    }
  }
  return out;
}

export function encodeMetricsResponse(): Uint8Array {
  const type = otlpMetricsTypes().response;
  return type.encode(type.fromObject({})).finish();
}

function keyValues(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list(value)) {
    const v = obj(kv['value']);
    out[String(kv['key'])] = v['stringValue'] ?? v['intValue'] ?? v['doubleValue'] ?? v['boolValue'] ?? null;
  }
  return out;
}

function obj(value: unknown): Plain {
  return typeof value === 'object' && value !== null ? (value as Plain) : {};
}

function list(value: unknown): Plain[] {
  return Array.isArray(value) ? value.map(obj) : [];
}
