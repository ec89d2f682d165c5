// An OTLP/HTTP intake as a vendor runs it (Sumo Logic's OTLP/HTTP source, Azure Monitor's OTLP
// ingestion, Datadog's OTLP logs intake): protobuf or JSON bodies on a vendor-specific path, decoded with the official
// .proto files, optionally behind a bearer token the test's Entra ID stand-in issued or an API key header.
import type { IncomingMessage } from 'node:http';
import { decodeOtlpJson } from '../../helpers/otlp-json.js';
import { decodeMetricsRequest, encodeMetricsResponse, type ReceivedDataPoint } from '../../helpers/otlp-metrics-proto.js';
import { flattenRequest, otlpTypes, type ReceivedLogRecord } from '../../helpers/otlp-proto.js';
import { startIntake, UidTally, type Answer, type IntakeServer } from './intake-server.js';

export interface OtlpIntake extends IntakeServer {
  readonly records: ReceivedLogRecord[];
  readonly metrics: ReceivedDataPoint[];
  readonly uids: UidTally;
  /** Requests refused for a missing or unknown bearer token or API key. */
  unauthorized: number;
}

export interface OtlpIntakeOptions {
  /** Full path logs are POSTed to. */
  logsPath: string;
  /** Full path metrics are POSTed to, if this vendor takes them. */
  metricsPath?: string;
  /** When set, a request must carry `Authorization: Bearer <t>` for a t this returns true for. */
  acceptsToken?: (token: string) => boolean;
  /** When set, a request must carry this header with this value (Datadog's `dd-api-key`). */
  apiKeyHeader?: { readonly name: string; readonly value: string };
}

export async function startOtlpIntake(name: string, options: OtlpIntakeOptions): Promise<OtlpIntake> {
  const records: ReceivedLogRecord[] = [];
  const metrics: ReceivedDataPoint[] = [];
  const uids = new UidTally();
  const counters = { unauthorized: 0 };
  const server = await startIntake(name, (req, path, body) => {
    if (options.acceptsToken && !options.acceptsToken(bearer(req))) {
      counters.unauthorized++;
      return { status: 401, body: 'invalid or missing bearer token' };
    }
    if (options.apiKeyHeader && req.headers[options.apiKeyHeader.name] !== options.apiKeyHeader.value) {
      counters.unauthorized++;
      return { status: 403, body: `invalid or missing ${options.apiKeyHeader.name}` };
    }
    const encoding = mediaType(req);
    if (req.method !== 'POST' || (encoding !== 'application/x-protobuf' && encoding !== 'application/json')) {
      return { status: 415, body: `unsupported ${req.method} ${encoding}` };
    }
    const isJson = encoding === 'application/json';
    if (path === options.logsPath) {
      const type = otlpTypes().request;
      const message = isJson ? decodeOtlpJson(type, body.toString('utf8')) : type.decode(body);
      const received = flattenRequest(message);
      records.push(...received);
      for (const r of received) uids.add(r.attributes['log.record.uid']);
      return ok(isJson, otlpTypes().response.encode({}).finish());
    }
    if (options.metricsPath !== undefined && path === options.metricsPath) {
      metrics.push(...decodeMetricsRequest(body, isJson));
      return ok(isJson, encodeMetricsResponse());
    }
    return { status: 404, body: `no OTLP endpoint at ${path}` };
  });
  return Object.assign(server, {
    records,
    metrics,
    uids,
    get unauthorized() { return counters.unauthorized; },
  });
}

function ok(isJson: boolean, proto: Uint8Array): Answer {
  return isJson
    ? { status: 200, body: '{}', headers: { 'content-type': 'application/json' } }
    : { status: 200, body: proto, headers: { 'content-type': 'application/x-protobuf' } };
}

function bearer(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
