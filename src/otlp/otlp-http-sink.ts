import { createGzip, type ZlibOptions } from 'node:zlib';
import type { ExporterConfig } from '../config/config.js';
import { TransientError } from '../errors/transient-error.js';
import { sendHttp, type HttpResponse } from '../http/http-client.js';
import { retryDelayFromHeaders } from '../http/retry-after.js';
import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import { unlessTooDeep } from '../pipeline/depth-limit.js';
import type { DeliveryResult, LogSink } from '../pipeline/sink.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';
import { NestedTooDeep } from './any-value-encoding.js';
import { wireBody } from './body-format.js';
import { collectorStatusHint } from './collector-hints.js';
import { logsCodec, protobufLogsCodec, type LogsCodec, type ResponseSummary } from './logs-codec.js';
import type { ReceiverResource } from './resource.js';
import { printable } from '../util/printable.js';

/** What a 413 asks the user to change; SplittingSink splits the batch first. */
const TOO_LARGE_HINT = "the export is larger than the collector accepts: raise the collector's maximum request size (otlp receiver protocols.http.max_request_body_size) or lower the source's pageSize";

/**
 * Measured on 500-record org pages (bench/gzip-levels.js, bench/README.md): level 3 compresses to 5.7% of the
 * protobuf for 5.1 µs CPU a record, level 6 (zlib's default) to 3.9% for 11.4 µs, level 1
 * to 6.0% for 5.4 µs. Asynchronous: zlib runs on libuv's thread pool while the event loop
 * fetches and maps the next page.
 */
const GZIP_OPTIONS = { level: 3 };

/** OTLP/HTTP retryable statuses (OTLP spec, "Failures"): everything else is final. */
const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * Sends one batch per call and reports exactly what the collector said.
 * The SDK's OTLPLogExporter is not used: it reports partial_success as SUCCESS and hides
 * Retry-After, and the pipeline needs both to decide whether a checkpoint may move.
 * Protobuf requests are written by the receiver's own encoder straight from its records
 * (logs-request-encoder.ts: the same bytes as the SDK's serializer, at about half the CPU and
 * without an SDK object per record); JSON requests by @opentelemetry/otlp-transformer.
 */
export class OtlpHttpSink implements LogSink {
  readonly description: string;
  /** Loaded on first use: the JSON codec imports the OpenTelemetry SDK's serializer. */
  private codecLoad: Promise<LogsCodec> | undefined;
  /** http/protobuf: the receiver's own codec, built at once so `prepare` can encode. */
  private readonly protobuf: LogsCodec | undefined;

  constructor(
    private readonly config: ExporterConfig,
    private readonly resource: ReceiverResource,
  ) {
    const url = new URL(config.logsUrl);
    this.description = `${config.protocol} to ${url.origin}${url.pathname}${config.bodyFormat === 'json' ? ', bodies as JSON text' : ''}`;
    if (config.protocol === 'http/protobuf') {
      this.protobuf = protobufLogsCodec(resource, config.bodyFormat);
      this.codecLoad = Promise.resolve(this.protobuf);
    }
  }

  /**
   * http/protobuf: the record as its encoded LogRecord alone, so the parsed event is garbage
   * long before the export is acknowledged (held that long, it was promoted to V8's old space
   * and collected at a higher cost). Each record is encoded once, however often it is sent.
   * http/json: the record with its body as it will be sent (a JSON-text body is a string, so
   * only the attributes can be too deep, as with protobuf).
   * undefined: nested too deeply to send as it is (LogSink.prepare).
   */
  prepare(record: AuditLogRecord): AuditLogRecord | undefined {
    const encodeRecord = this.protobuf?.encodeRecord;
    if (encodeRecord === undefined) return unlessTooDeep(this.config.bodyFormat === 'json' ? { ...record, body: wireBody(record.body, 'json') } : record);
    let encoded: Uint8Array;
    try {
      encoded = encodeRecord(record);
    } catch (err) {
      if (err instanceof NestedTooDeep) return undefined;
      throw err;
    }
    const { uid, timeMs, observedMs, eventName, severity } = record;
    return { uid, timeMs, observedMs, eventName, severity, body: null, attributes: {}, encoded };
  }

  /**
   * The records' bytes may be written anew. Safe once their page is committed: every request
   * that carried them has ended (acknowledged, failed or aborted), gzip and the proxied
   * transport sent copies, and a collector that answered before reading the whole body had its
   * connection closed once the answer was read (DirectTransport), so no write still reads them.
   */
  release(records: readonly AuditLogRecord[]): void {
    const releaseRecord = this.protobuf?.releaseRecord;
    if (releaseRecord === undefined) return;
    for (const record of records) if (record.encoded !== undefined) releaseRecord(record.encoded);
  }

  async deliver(records: readonly AuditLogRecord[], signal: AbortSignal): Promise<DeliveryResult> {
    // OTLP says not to send empty envelopes.
    if (records.length === 0) return { status: 'accepted', rejected: 0 };
    const codec = await this.codec();
    // Parts, not one buffer: the prepared records' bytes are sent where they are, not copied.
    const parts = codec.encodeParts ? codec.encodeParts(records) : [codec.encode(records)];
    const useGzip = this.config.compression === 'gzip';
    let res: HttpResponse;
    try {
      res = await sendHttp({
        method: 'POST',
        url: this.config.logsUrl,
        headers: {
          ...this.config.headers,
          'content-type': codec.contentType,
          'user-agent': `${RECEIVER_NAME}/${RECEIVER_VERSION}`,
          ...(useGzip ? { 'content-encoding': 'gzip' } : {}),
        },
        body: useGzip ? await gzip(parts, GZIP_OPTIONS) : parts,
        timeoutMs: this.config.timeoutMs,
        maxBodyBytes: 1024 * 1024,
        signal,
      });
    } catch (err) {
      if (signal.aborted) return { status: 'retryable', reason: 'aborted' };
      return { status: 'retryable', reason: err instanceof TransientError ? err.message : String(err) };
    }
    return this.interpret(res, codec);
  }

  private codec(): Promise<LogsCodec> {
    return (this.codecLoad ??= logsCodec(this.config.protocol, this.resource, this.config.bodyFormat));
  }

  private interpret(res: HttpResponse, codec: LogsCodec): DeliveryResult {
    if (res.status >= 200 && res.status < 300) {
      const partial = partialSuccess(codec, res.body);
      return { status: 'accepted', rejected: partial.rejected, ...(partial.message ? { message: partial.message } : {}) };
    }
    const reason = `collector answered ${res.status}${statusMessage(res)}`;
    if (res.status === 413) return { status: 'failed', reason: `${reason}: ${TOO_LARGE_HINT}`, tooLarge: true };
    if (RETRYABLE.has(res.status)) {
      const retryAfterMs = retryDelayFromHeaders(res.headers, Date.now());
      return retryAfterMs === undefined ? { status: 'retryable', reason } : { status: 'retryable', reason, retryAfterMs };
    }
    const hint = collectorStatusHint(res.status, this.config);
    return { status: 'failed', reason: hint ? `${reason}: ${hint}` : reason };
  }

  async check(signal: AbortSignal): Promise<{ ok: boolean; detail: string }> {
    // An empty ExportLogsServiceRequest is valid OTLP and proves reachability, auth and protocol.
    try {
      const codec = await this.codec();
      const payload = codec.encode([]);
      const res = await sendHttp({
        method: 'POST',
        url: this.config.logsUrl,
        headers: { ...this.config.headers, 'content-type': codec.contentType },
        body: payload,
        timeoutMs: this.config.timeoutMs,
        maxBodyBytes: 1024 * 1024,
        signal,
      });
      const ok = res.status >= 200 && res.status < 300;
      const hint = ok ? undefined : collectorStatusHint(res.status, this.config);
      return { ok, detail: ok ? `accepted an empty ${this.config.protocol} export (${res.status})` : `answered ${res.status}${statusMessage(res)}${hint ? `: ${hint}` : ''}` };
    } catch (err) {
      return { ok: false, detail: err instanceof TransientError ? err.message : String(err) };
    }
  }

  async shutdown(): Promise<void> {}
}

/** A 2xx is an acknowledgement even if its body is not a response message: then nothing was rejected. */
function partialSuccess(codec: LogsCodec, body: Buffer): ResponseSummary {
  if (body.length === 0) return { rejected: 0 };
  let p: ResponseSummary | undefined;
  try {
    p = codec.partialSuccess(body);
  } catch {
    p = undefined;
  }
  if (!p) return { rejected: 0 };
  // A negative or unreadable count (from either encoding) is a collector bug, not records refused.
  const rejected = Number.isFinite(p.rejected) ? Math.max(0, p.rejected) : 0;
  return p.message ? { rejected, message: printable(p.message, 300) } : { rejected };
}

/** A short, printable hint from an error body (google.rpc.Status JSON or text); never headers. */
function statusMessage(res: HttpResponse): string {
  const text = res.body.subarray(0, 300).toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim();
  if (!text) return '';
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return `: ${parsed.message.slice(0, 200)}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return String(res.headers['content-type'] ?? '').includes('protobuf') ? '' : `: ${text.slice(0, 200)}`;
}

/** The parts compressed as one gzip member, on libuv's thread pool. */
function gzip(parts: readonly Uint8Array[], options: ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = createGzip(options);
    const out: Buffer[] = [];
    let size = 0;
    z.on('data', (chunk: Buffer) => {
      out.push(chunk);
      size += chunk.length;
    });
    z.once('error', reject);
    z.once('end', () => resolve(Buffer.concat(out, size)));
    for (const part of parts) z.write(part);
    z.end();
  });
}
