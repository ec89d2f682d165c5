import * as z from '../util/zod.js';
import { requestJson } from '../http/json-api.js';
import type { Clock } from '../http/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import { AuthError } from '../errors/auth-error.js';

/** What the receiver needs from any token endpoint call, whatever the grant. */
export interface TokenHttpOptions {
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timeoutMs: number;
  readonly retryDeadlineMs: number;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly expiresInMs: number;
  /** Present when the server rotated the refresh token (3LO with rotation). */
  readonly refreshToken: string | undefined;
}

export type TokenGrant =
  | { readonly grant_type: 'refresh_token'; readonly client_id: string; readonly client_secret: string; readonly refresh_token: string }
  | { readonly grant_type: 'client_credentials'; readonly client_id: string; readonly client_secret: string };

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  // RFC 6749 makes expires_in optional; Atlassian sends 3600. Assume an hour when it is missing.
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).nullish(),
});

const DEFAULT_EXPIRES_IN_S = 3_600;

/**
 * POSTs one grant to the token endpoint (JSON body, as Atlassian documents) with the
 * receiver's retry policy for 5xx/429/timeouts. A 4xx is final and explained per grant.
 * The request body holds secrets: it is never logged, and errors carry only the path.
 */
export async function requestTokens(tokenUrl: string, grant: TokenGrant, label: string, source: string, signal: AbortSignal, opts: TokenHttpOptions): Promise<IssuedTokens> {
  const json = await requestJson(
    {
      method: 'POST',
      url: tokenUrl,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(grant),
      timeoutMs: opts.timeoutMs,
      signal,
    },
    {
      source,
      retryDeadlineMs: opts.retryDeadlineMs,
      logger: opts.logger,
      ...(opts.clock ? { clock: opts.clock } : {}),
      explainStatus: (status) => explainTokenStatus(status, grant.grant_type, label),
    },
  );
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new AuthError(`the token endpoint answered 200 without an access_token for the ${label}`, { source, method: 'POST', path: new URL(tokenUrl).pathname, status: 200 });
  }
  return {
    accessToken: parsed.data.access_token,
    expiresInMs: (parsed.data.expires_in ?? DEFAULT_EXPIRES_IN_S) * 1000,
    refreshToken: parsed.data.refresh_token ?? undefined,
  };
}

function explainTokenStatus(status: number, grant: TokenGrant['grant_type'], label: string): string | undefined {
  if (status < 400 || status >= 500) return undefined;
  if (grant === 'refresh_token') {
    return `the authorization server refused the ${label}: check clientId and clientSecret, and that the refresh token is current ` +
      '(it rotates on every refresh, expires after 90 days without use, and dies when the user revokes the app); ' +
      'if it expired, authorize the app again and put the new refresh token in auth.refreshToken';
  }
  return `the authorization server refused the ${label}: check clientId and clientSecret, and that the service account's OAuth 2.0 credential has not been deleted or expired`;
}
