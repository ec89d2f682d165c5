import { credentialLabel } from './credential-label.js';
import type { Clock } from '../http/rate-limiter.js';
import { credentialTag } from '../util/fingerprint.js';
import { AccessTokenCache } from './access-token-cache.js';
import type { ClientCredentialsAuthConfig } from './config.js';
import type { AuthContext, Credential } from './credential.js';
import { HttpStatusError } from '../errors/http-status-error.js';
import type { RereadableSecret } from '../config/secret-files.js';
import { requestTokens, type TokenHttpOptions } from './token-endpoint.js';

/** Service-account OAuth 2.0 credential: a client-credentials grant, cached until shortly before expiry. */
export class ClientCredentialsCredential implements Credential {
  readonly type = 'client-credentials' as const;
  readonly label: string;
  readonly tag: string;
  private readonly cache: AccessTokenCache;

  constructor(
    private readonly config: ClientCredentialsAuthConfig,
    private readonly http: TokenHttpOptions & { clock?: Clock },
    /** The client secret, when it came from `${file:…}`: read again when the token endpoint refuses it. */
    private readonly clientSecret?: RereadableSecret,
  ) {
    this.label = credentialLabel(config);
    this.tag = credentialTag(`client-credentials\n${config.clientId}\n${config.clientSecret}`);
    this.cache = new AccessTokenCache((ctx) => this.issue(ctx), http.clock);
  }

  async headers(ctx: AuthContext): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.cache.get(ctx)}` };
  }

  invalidate(): boolean {
    return this.cache.invalidate();
  }

  private async issue(ctx: AuthContext): Promise<{ token: string; expiresInMs: number }> {
    try {
      return await this.request(ctx);
    } catch (err) {
      // A rotated secret file takes effect without a restart: read it again, once, before giving up.
      if (!(err instanceof HttpStatusError) || (err.status !== 400 && err.status !== 401) || !this.clientSecret?.reread()) throw err;
      this.http.logger.warn('client secret refused; its secret file has a new value: retrying with it', { event: 'credential.reread', source: ctx.source, credential: this.label });
      return this.request(ctx);
    }
  }

  private async request(ctx: AuthContext): Promise<{ token: string; expiresInMs: number }> {
    const issued = await requestTokens(
      this.config.tokenUrl,
      { grant_type: 'client_credentials', client_id: this.config.clientId, client_secret: this.clientSecret?.current() ?? this.config.clientSecret },
      this.label,
      ctx.source,
      ctx.signal,
      this.http,
    );
    return { token: issued.accessToken, expiresInMs: issued.expiresInMs };
  }
}
