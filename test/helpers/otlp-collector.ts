// A fake OTLP/HTTP logs collector on loopback for end-to-end tests: it decodes
// what the receiver really sends (protobuf or JSON, optionally gzip) and can be
// scripted to fail in the ways a real Collector or proxy does.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { decodeOtlpJson } from './otlp-json.js';
import { encodeRpcStatus, flattenRequest, otlpTypes, type ReceivedLogRecord } from './otlp-proto.js';
import { decodeMetricsRequest, encodeMetricsResponse, type ReceivedDataPoint } from './otlp-metrics-proto.js';
import {
  CancellableDelays,
  closeServer,
  listenOnLoopback,
  readBody,
  type HeaderRecord,
} from './http-server-utils.js';

export type { ReceivedLogRecord } from './otlp-proto.js';
export type { ReceivedDataPoint } from './otlp-metrics-proto.js';

export type CollectorResponse =
  /** Answer with this status; records are kept only for a 2xx status. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** 200 whose body carries partial_success; the records are kept. */
  | { partialSuccess: { rejectedLogRecords: number; errorMessage: string } }
  /** Wait, then answer as if the queue were empty (records kept if the client is still there). */
  | { hangMs: number }
  /** Drop the connection without answering; records are not kept. */
  | { destroy: true };

export interface CollectorRequest {
  method: string;
  path: string;
  /** The query string, without `?` ('' when none). */
  query: string;
  contentType: string;
  contentEncoding: string | undefined;
  /** Log records decoded from the body (0 if it could not be decoded). */
  recordCount: number;
  /** Status answered; 0 while pending or when no answer was sent. */
  status: number;
  headers: HeaderRecord;
  /** Why the body was rejected, if it was. */
  error?: string;
}

export interface TestCollector {
  /** Base URL, e.g. http://127.0.0.1:PORT; logs go to `${url}/v1/logs`. */
  readonly url: string;
  readonly records: ReceivedLogRecord[];
  /** Data points from POSTs to /v1/metrics (the receiver's self-metrics), in arrival order; always answered 200. */
  readonly metrics: ReceivedDataPoint[];
  readonly requests: CollectorRequest[];
  /** Decode errors, in arrival order. */
  readonly errors: string[];
  enqueue(...responses: CollectorResponse[]): void;
  /** Resolves once at least `count` records arrived; rejects after `timeoutMs`. */
  waitForRecords(count: number, timeoutMs?: number): Promise<ReceivedLogRecord[]>;
  close(): Promise<void>;
}

type Encoding = 'json' | 'protobuf';

const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 429: 8, 500: 13, 501: 12, 502: 14, 503: 14, 504: 4 };

export async function startCollector(): Promise<TestCollector> {
  const records: ReceivedLogRecord[] = [];
  const metrics: ReceivedDataPoint[] = [];
  const requests: CollectorRequest[] = [];
  const errors: string[] = [];
  const queue: CollectorResponse[] = [];
  const delays = new CancellableDelays();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry: CollectorRequest = {
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      query: (req.url ?? '').split('?').slice(1).join('?'),
      contentType: mediaType(req.headers['content-type']),
      contentEncoding: req.headers['content-encoding'],
      recordCount: 0,
      status: 0,
      headers: { ...req.headers },
    };
    requests.push(entry);
    const encoding = encodingOf(entry.contentType);
    // An exporter endpoint may carry a path prefix (a gateway's `/otlp`): logs land on any …/v1/logs.
    const logsPath = entry.path.endsWith('/v1/logs');
    const exportCall = logsPath && entry.method === 'POST' && encoding !== undefined;
    // Dequeue before awaiting the body so scripted answers follow arrival order.
    const script = exportCall ? queue.shift() : undefined;
    const raw = await readBody(req);
    if (entry.path === '/v1/metrics' && entry.method === 'POST' && encoding) return receiveMetrics(raw, encoding, entry, res);
    if (!logsPath) return sendText(res, entry, 404, 'not found');
    if (entry.method !== 'POST') return sendText(res, entry, 405, 'method not allowed');
    if (!encoding) return sendText(res, entry, 415, `unsupported content-type ${entry.contentType}`);

    const decoded = decode(raw, encoding, entry.contentEncoding);
    if ('error' in decoded) {
      entry.error = decoded.error;
      errors.push(decoded.error);
    } else {
      entry.recordCount = decoded.records.length;
    }

    if (script && 'destroy' in script) return void req.socket.destroy();
    if (script && 'hangMs' in script) {
      await delays.wait(script.hangMs);
      if (req.socket.destroyed) return; // client gave up: it never saw a 200
    }
    if (script && 'status' in script) {
      const ok = script.status >= 200 && script.status < 300;
      if (ok && 'records' in decoded) records.push(...decoded.records);
      return sendScripted(res, entry, encoding, script);
    }
    if ('error' in decoded) return sendStatus(res, entry, encoding, 400, decoded.error);
    records.push(...decoded.records);
    const partialSuccess = script && 'partialSuccess' in script ? script.partialSuccess : undefined;
    send(res, entry, 200, encoding, encodeResponse(encoding, partialSuccess));
  }

  function receiveMetrics(raw: Buffer, encoding: Encoding, entry: CollectorRequest, res: ServerResponse): void {
    try {
      const body = entry.contentEncoding === 'gzip' ? gunzipSync(raw) : raw;
      const points = decodeMetricsRequest(body, encoding === 'json');
      entry.recordCount = points.length;
      metrics.push(...points);
    } catch (err) {
      entry.error = `metrics ${encoding} body rejected: ${err instanceof Error ? err.message : String(err)}`;
      errors.push(entry.error);
      return sendStatus(res, entry, encoding, 400, entry.error);
    }
    send(res, entry, 200, encoding, encoding === 'json' ? '{}' : encodeMetricsResponse());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      errors.push(`collector failure: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const url = await listenOnLoopback(server);

  return {
    url,
    records,
    metrics,
    requests,
    errors,
    enqueue: (...responses) => void queue.push(...responses),
    async waitForRecords(count, timeoutMs = 5_000) {
      const describe = (): string =>
        `timed out waiting for ${count} records (have ${records.length}, requests ${requests.length}, errors ${JSON.stringify(errors)})`;
      await waitFor(() => records.length >= count, timeoutMs, describe);
      return records;
    },
    close: () => closeServer(server, delays),
  };
}

function decode(raw: Buffer, encoding: Encoding, contentEncoding: string | undefined): { records: ReceivedLogRecord[] } | { error: string } {
  try {
    let body = raw;
    if (contentEncoding === 'gzip') body = gunzipSync(raw);
    else if (contentEncoding !== undefined && contentEncoding !== 'identity') {
      return { error: `unsupported Content-Encoding ${contentEncoding}` };
    }
    const type = otlpTypes().request;
    const message = encoding === 'json' ? decodeOtlpJson(type, body.toString('utf8')) : type.decode(body);
    return { records: flattenRequest(message) };
  } catch (err) {
    return { error: `${encoding} body rejected: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function encodeResponse(encoding: Encoding, partialSuccess?: { rejectedLogRecords: number; errorMessage: string }): Uint8Array | string {
  if (encoding === 'json') {
    if (!partialSuccess) return '{}';
    // int64 as a decimal string, as OTLP/JSON writers do.
    return JSON.stringify({ partialSuccess: { ...partialSuccess, rejectedLogRecords: String(partialSuccess.rejectedLogRecords) } });
  }
  const type = otlpTypes().response;
  return type.encode(type.fromObject(partialSuccess ? { partialSuccess } : {})).finish();
}

function sendScripted(res: ServerResponse, entry: CollectorRequest, encoding: Encoding, script: { status: number; headers?: Record<string, string>; body?: string }): void {
  if (script.body === undefined) return sendStatus(res, entry, encoding, script.status, `scripted ${script.status}`, script.headers);
  send(res, entry, script.status, encoding, script.body, script.headers);
}

/** Error body as a google.rpc.Status in the request's encoding, as the spec asks. */
function sendStatus(res: ServerResponse, entry: CollectorRequest, encoding: Encoding, status: number, message: string, headers?: Record<string, string>): void {
  const code = GRPC_CODE[status] ?? 2;
  const body = encoding === 'json' ? JSON.stringify({ code, message }) : encodeRpcStatus(code, message);
  send(res, entry, status, encoding, body, headers);
}

function send(res: ServerResponse, entry: CollectorRequest, status: number, encoding: Encoding, body: Uint8Array | string, headers: Record<string, string> = {}): void {
  entry.status = status;
  const contentType = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendText(res: ServerResponse, entry: CollectorRequest, status: number, text: string): void {
  entry.status = status;
  res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function encodingOf(contentType: string): Encoding | undefined {
  if (contentType === 'application/json') return 'json';
  if (contentType === 'application/x-protobuf') return 'protobuf';
  return undefined;
}

async function waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
