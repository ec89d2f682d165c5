import { HttpStatusError } from '../errors/http-status-error.js';
import { ResponseFormatError } from '../errors/response-format-error.js';
import { TransientError } from '../errors/transient-error.js';
import type { Logger } from '../log/logger.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { sendHttp, type HttpRequest, type HttpResponse } from './http-client.js';
import type { Clock, SlidingWindowLimiter } from './rate-limiter.js';
import { systemClock } from './rate-limiter.js';
import { retryDelayFromHeaders, retryWait } from './retry-after.js';
import { throttleFor } from '../log/repeat-throttle.js';
import { printable } from '../util/printable.js';
import { noteLimiterHold, retryMessage, waitReason } from './wait-notice.js';
import type { ApiRecorder } from '../telemetry/recorder.js';

export interface JsonApiOptions {
  readonly source: string;
  /** Every limiter must grant a slot before each attempt (e.g. per path and per credential). */
  readonly limiters?: readonly SlidingWindowLimiter[];
  /** How long transient failures may go on before giving up on this request. */
  readonly retryDeadlineMs: number;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly backoff?: BackoffPolicy;
  /** Turns a 4xx into an actionable message (e.g. which scope a 401 needs). */
  readonly explainStatus?: (status: number, apiCode: string | undefined) => string | undefined;
  /** Counts every answer by status, transport failures and retries (self-metrics); optional. */
  readonly recorder?: ApiRecorder;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * GETs JSON with the receiver's retry policy: 429 waits for Retry-After / X-RateLimit-Reset
 * (else backoff), 5xx, timeouts, resets and malformed bodies back off with jitter until the
 * deadline, other 4xx fail at once (a revoked key must not hammer the API).
 */
export async function requestJson<T = unknown>(
  req: Omit<HttpRequest, 'maxBodyBytes' | 'source'>,
  opts: JsonApiOptions & {
    /** Checks the envelope; return undefined when it is not the expected shape, and the page is retried like a malformed body. */
    accept?: (json: unknown) => T | undefined;
    /** Parses the body (UTF-8) instead of JSON.parse of its text, which it must match in what it rejects, by throwing. */
    parse?: (body: Buffer) => unknown;
  },
): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const path = new URL(req.url).pathname;
  const context = { source: opts.source, method: req.method, path };
  for (let attempt = 0; ; attempt++) {
    for (const limiter of opts.limiters ?? []) await limiter.acquire(req.signal, (waitMs) => noteLimiterHold(opts.logger, { source: opts.source, path, waitMs, perMinute: limiter.limit }));
    let failure: TransientError;
    try {
      const res = await sendAndRecord(req, opts);
      if (res.status >= 200 && res.status < 300) {
        const json = parseJson(res, context, opts.parse ?? parseText);
        if (!opts.accept) return json as T;
        const accepted = opts.accept(json);
        if (accepted === undefined) throw new ResponseFormatError('response is not the expected JSON envelope', { ...context, status: res.status });
        return accepted;
      }
      if (res.status !== 429 && res.status < 500) throw statusError(res, context, opts);
      failure = new TransientError(
        res.status === 429 ? 'ATL_RATE_LIMITED' : 'ATL_SERVER_ERROR',
        res.status === 429 ? 'rate limited by the API' : `the API answered ${res.status}`,
        { ...context, status: res.status },
        { retryAfterMs: retryDelayFromHeaders(res.headers, clock.now()) },
      );
    } catch (err) {
      if (!(err instanceof TransientError)) throw err;
      failure = err;
    }
    if (req.signal?.aborted) throw req.signal.reason;
    const delay = retryWait(backoffDelay(attempt, opts.backoff ?? DEFAULT_BACKOFF), failure.retryAfterMs);
    if (clock.now() + delay - started > opts.retryDeadlineMs) {
      throw new TransientError(failure.code, `${failure.message}; still failing after ${attempt + 1} attempts`, failure.context, { cause: failure });
    }
    opts.recorder?.apiRetry(opts.source, failure.code);
    const admitted = throttleFor(opts.logger).admit(`api.retry ${opts.source} ${path} ${failure.code} ${failure.context.status ?? ''}`, clock.now());
    if (admitted) {
      opts.logger.warn(retryMessage(failure, delay), { event: 'api.retry', source: opts.source, path, status: failure.context.status, code: failure.code, error: failure.message, attempt: attempt + 1, retryInMs: delay, waitReason: waitReason(failure), ...(admitted.suppressed > 0 ? { suppressedSimilar: admitted.suppressed } : {}) });
    }
    await clock.sleep(delay, req.signal);
  }
}

async function sendAndRecord(req: Omit<HttpRequest, 'maxBodyBytes' | 'source'>, opts: JsonApiOptions): Promise<HttpResponse> {
  let res: HttpResponse;
  const started = performance.now();
  try {
    res = await sendHttp({ ...req, source: opts.source, maxBodyBytes: MAX_BODY_BYTES });
  } catch (err) {
    // No usable answer (refused, reset, timeout, body over the cap): counted by error code, not status.
    if (!req.signal?.aborted) opts.recorder?.apiResponse(opts.source, undefined, err instanceof TransientError ? err.code : 'UNEXPECTED', performance.now() - started);
    throw err;
  }
  opts.recorder?.apiResponse(opts.source, res.status, undefined, performance.now() - started);
  return res;
}

function parseText(body: Buffer): unknown {
  return JSON.parse(body.toString('utf8'));
}

function parseJson(res: HttpResponse, context: { source: string; method: string; path: string }, parse: (body: Buffer) => unknown): unknown {
  const type = String(res.headers['content-type'] ?? '');
  const ctx = { ...context, status: res.status };
  if (type && !type.includes('json')) {
    throw new ResponseFormatError(`expected JSON but got ${type.split(';')[0]} (${res.body.length} bytes)`, ctx);
  }
  try {
    return parse(res.body);
  } catch (err) {
    throw new ResponseFormatError(`response body is not valid JSON (${res.body.length} bytes; truncated?)`, ctx, { cause: err });
  }
}

function statusError(res: HttpResponse, context: { source: string; method: string; path: string }, opts: JsonApiOptions): HttpStatusError {
  const apiCode = atlassianErrorCode(res.body);
  const hint = opts.explainStatus?.(res.status, apiCode);
  const base = `the API answered ${res.status}${apiCode ? ` ${apiCode}` : ''}`;
  return new HttpStatusError(hint ? `${base}: ${hint}` : base, { ...context, status: res.status }, apiCode);
}

/** Atlassian bodies carry `{errors:[{code}]}` (Admin API) or `{code}`; neither holds secrets. */
function atlassianErrorCode(body: Buffer): string | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown }[]; code?: unknown };
    const code = json.errors?.[0]?.code ?? json.code;
    // Printed in `once`/`check` output and logs: never raw (terminal escapes, forged lines).
    return typeof code === 'string' && code !== '' ? printable(code, 64) : undefined;
  } catch {
    return undefined;
  }
}
