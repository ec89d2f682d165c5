import { credentialLabel } from './credential-label.js';
import { HttpStatusError } from '../errors/http-status-error.js';
import type { Clock } from '../http/rate-limiter.js';
import { credentialTag } from '../util/fingerprint.js';
import { AccessTokenCache } from './access-token-cache.js';
import type { OAuth2AuthConfig } from './config.js';
import type { AuthContext, Credential } from './credential.js';
import type { RefreshTokenFile } from './refresh-token-file.js';
import { requestTokens, type IssuedTokens, type TokenHttpOptions } from './token-endpoint.js';

/**
 * OAuth 2.0 (3LO) with rotating refresh tokens. The refresh token in use is the one saved in
 * the state directory once there is one (the config's is only the seed), and every rotated
 * token is saved before the access token that came with it is handed out: a crash right
 * after a refresh must not leave the receiver holding only a token Atlassian already retired.
 */
export class OAuth2Credential implements Credential {
  readonly type = 'oauth2' as const;
  readonly label: string;
  readonly tag: string;
  private readonly cache: AccessTokenCache;
  private refreshToken: string | undefined;

  constructor(
    private readonly config: OAuth2AuthConfig,
    private readonly saved: RefreshTokenFile,
    private readonly http: TokenHttpOptions & { clock?: Clock },
  ) {
    this.label = credentialLabel(config);
    this.tag = oauth2CredentialTag(config);
    this.cache = new AccessTokenCache((ctx) => this.refresh(ctx), http.clock);
  }

  async headers(ctx: AuthContext): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.cache.get(ctx)}` };
  }

  invalidate(): boolean {
    return this.cache.invalidate();
  }

  private async refresh(ctx: AuthContext): Promise<{ token: string; expiresInMs: number }> {
    let current = (this.refreshToken ??= (await this.saved.load()) ?? this.config.refreshToken);
    let issued: IssuedTokens;
    try {
      issued = await this.redeem(current, ctx);
    } catch (err) {
      // Another process on the same state directory (`check` beside `run`) may have rotated
      // the token and saved its successor: that one is worth one try before giving up.
      if (!(err instanceof HttpStatusError) || err.status >= 500) throw err;
      const onDisk = await this.saved.load();
      if (onDisk === undefined || onDisk === current) throw err;
      this.http.logger.warn('refresh token refused; retrying with the one saved since by another process', { event: 'oauth.refresh_token_superseded', source: ctx.source, credential: this.label, file: this.saved.file });
      current = this.refreshToken = onDisk;
      issued = await this.redeem(current, ctx);
    }
    if (issued.refreshToken !== undefined && issued.refreshToken !== current) {
      // Kept in memory first: if the write fails, the next attempt still holds the live token.
      this.refreshToken = issued.refreshToken;
      await this.saved.save(issued.refreshToken);
      this.http.logger.info('OAuth refresh token rotated and saved', { event: 'oauth.refresh_token_rotated', source: ctx.source, credential: this.label, file: this.saved.file });
    }
    return { token: issued.accessToken, expiresInMs: issued.expiresInMs };
  }

  private redeem(refreshToken: string, ctx: AuthContext): Promise<IssuedTokens> {
    return requestTokens(
      this.config.tokenUrl,
      { grant_type: 'refresh_token', client_id: this.config.clientId, client_secret: this.config.clientSecret, refresh_token: refreshToken },
      this.label,
      ctx.source,
      ctx.signal,
      this.http,
    );
  }
}

/** Identifies a 3LO grant by client and the refresh token it was seeded with (never the rotated ones). */
export function oauth2CredentialTag(config: Pick<OAuth2AuthConfig, 'clientId' | 'refreshToken'>): string {
  return credentialTag(`oauth2\n${config.clientId}\n${config.refreshToken}`);
}
