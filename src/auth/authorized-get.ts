import { HttpStatusError } from '../errors/http-status-error.js';
import { requestJson } from '../http/json-api.js';
import type { Clock, RateLimiterRegistry } from '../http/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import type { ApiRecorder } from '../telemetry/recorder.js';
import type { AuthProvider, Credential } from './credential.js';
import { ROTATION_README } from './rotation.js';

/** Credentials that have been accepted at least once in this process. */
const worked = new WeakSet<Credential>();

/** A 401 to a credential that worked before most likely means it expired or was revoked. */
function unauthorized(credential: Credential, hint: string): string {
  if (!worked.has(credential)) return `the ${credential.label} was refused: ${hint}`;
  return `the ${credential.label} worked before and is now refused: it may have expired or been revoked. Rotate it (README: ${ROTATION_README}); otherwise ${hint}`;
}

export interface AuthorizedGetOptions {
  readonly source: string;
  readonly auth: AuthProvider;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly limiters: RateLimiterRegistry;
  /** 0 turns the per-path limiter off. */
  readonly requestsPerMinute: number;
  readonly timeoutMs: number;
  readonly retryDeadlineMs: number;
  /** Product-specific wording for 403/404; 401 is explained from the credential. */
  readonly explainStatus?: (status: number) => string | undefined;
  readonly recorder?: ApiRecorder;
}

/**
 * GETs `{baseUrl}{pathAndQuery}` as JSON with the credential's headers and the receiver's
 * retry policy. A 401 to an OAuth access token gets one more try with a fresh token: tokens
 * can be revoked or expire early on the server side, and a refresh is cheap. A second 401,
 * or any 401 to a static token, fails with a message naming the credential and what to check.
 */
export async function authorizedGetJson<T>(
  pathAndQuery: string,
  signal: AbortSignal,
  opts: AuthorizedGetOptions & {
    /** Envelope check inside the retry loop: undefined means "not the expected shape", retried like a malformed body. */
    accept: (json: unknown) => T | undefined;
  },
): Promise<T> {
  const ctx = { signal, source: opts.source };
  const credential = opts.auth.credential;
  for (let attempt = 0; ; attempt++) {
    const base = await opts.auth.baseUrl(ctx);
    const headers = await credential.headers(ctx);
    const url = `${base}${pathAndQuery}`;
    const path = new URL(url).pathname;
    try {
      const body = await requestJson(
        { method: 'GET', url, headers: { ...headers, accept: 'application/json' }, timeoutMs: opts.timeoutMs, signal },
        {
          source: opts.source,
          limiters: opts.requestsPerMinute > 0 ? [opts.limiters.get(`${credential.tag} GET ${path}`, opts.requestsPerMinute)] : [],
          retryDeadlineMs: opts.retryDeadlineMs,
          logger: opts.logger,
          ...(opts.clock ? { clock: opts.clock } : {}),
          ...(opts.recorder ? { recorder: opts.recorder } : {}),
          accept: opts.accept,
          explainStatus: (status) => (status === 401 ? unauthorized(credential, opts.auth.unauthorizedHint) : opts.explainStatus?.(status)),
        },
      );
      worked.add(credential);
      return body;
    } catch (err) {
      if (attempt > 0 || !(err instanceof HttpStatusError) || err.status !== 401 || !credential.invalidate()) throw err;
      opts.logger.warn('credential refused (401); retrying once with a fresh access token or the secret file\'s new value', { event: 'credential.retry', source: opts.source, path, credential: credential.label });
    }
  }
}
