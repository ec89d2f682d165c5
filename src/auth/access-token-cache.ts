import type { Clock } from '../http/rate-limiter.js';
import { systemClock } from '../http/rate-limiter.js';
import type { AuthContext } from './credential.js';

export interface AccessToken {
  readonly token: string;
  readonly expiresAtMs: number;
  readonly issuedAtMs: number;
}

/** Refresh this long before expiry: 5 minutes, or a quarter of a short-lived token's lifetime. */
const MAX_MARGIN_MS = 5 * 60_000;

/**
 * Holds one access token and refreshes it shortly before it expires, so a page request
 * never leaves with a token about to lapse. Concurrent callers share one refresh: two
 * parallel refreshes of a rotating refresh token would race and one would lose.
 */
export class AccessTokenCache {
  private current: AccessToken | undefined;
  private inflight: Promise<AccessToken> | undefined;

  constructor(
    private readonly issue: (ctx: AuthContext) => Promise<{ token: string; expiresInMs: number }>,
    private readonly clock: Clock = systemClock,
  ) {}

  async get(ctx: AuthContext): Promise<string> {
    const now = this.clock.now();
    const cached = this.current;
    if (cached && now < cached.expiresAtMs - margin(cached)) return cached.token;
    this.inflight ??= this.refresh(ctx).finally(() => {
      this.inflight = undefined;
    });
    return (await this.inflight).token;
  }

  /** Forgets the token; the next `get` refreshes. True when there was one to forget. */
  invalidate(): boolean {
    const had = this.current !== undefined || this.inflight !== undefined;
    this.current = undefined;
    return had;
  }

  private async refresh(ctx: AuthContext): Promise<AccessToken> {
    const issuedAtMs = this.clock.now();
    const { token, expiresInMs } = await this.issue(ctx);
    const next = { token, issuedAtMs, expiresAtMs: issuedAtMs + expiresInMs };
    this.current = next;
    return next;
  }
}

function margin(token: AccessToken): number {
  return Math.min(MAX_MARGIN_MS, (token.expiresAtMs - token.issuedAtMs) / 4);
}
