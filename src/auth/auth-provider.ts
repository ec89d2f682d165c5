import type { Clock } from '../http/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import type { AuthConfig, GatewayAuthConfig } from './config.js';
import { accessibleResourceCloudId, tenantInfoCloudId } from './cloud-id.js';
import type { AuthContext, AuthProvider, Credential, Product } from './credential.js';

export interface ProviderOptions {
  readonly product: Product;
  /** Site root, e.g. https://acme.atlassian.net (no trailing slash). */
  readonly site: string;
  /** Scopes the audit endpoint needs, as shown to people in a 401 hint. */
  readonly scopes: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timeoutMs: number;
  readonly retryDeadlineMs: number;
}

/** Binds a credential to a source's site: classic tokens talk to the site, everything else to the gateway. */
export function createAuthProvider(config: AuthConfig, credential: Credential, opts: ProviderOptions): AuthProvider {
  if (config.type === 'basic') {
    return {
      credential,
      baseUrl: async () => opts.site,
      unauthorizedHint:
        'check auth.email and auth.apiToken, and that the token has not expired or been revoked ' +
        '(classic tokens only: scoped and service-account API tokens need auth type scoped-token, which goes through api.atlassian.com)',
    };
  }
  return new GatewayAuthProvider(config, credential, opts);
}

/** `{apiBaseUrl}/ex/{product}/{cloudId}`, with the cloud id configured or discovered once. */
class GatewayAuthProvider implements AuthProvider {
  readonly unauthorizedHint: string;
  private cloudId: Promise<string> | undefined;

  constructor(
    private readonly config: GatewayAuthConfig,
    readonly credential: Credential,
    private readonly opts: ProviderOptions,
  ) {
    this.unauthorizedHint = gatewayHint(config, opts.scopes);
  }

  async baseUrl(ctx: AuthContext): Promise<string> {
    // A failed discovery is not cached: the next poll asks again.
    this.cloudId ??= this.discover(ctx).catch((err: unknown) => {
      this.cloudId = undefined;
      throw err;
    });
    return `${this.config.apiBaseUrl}/ex/${this.opts.product}/${encodeURIComponent(await this.cloudId)}`;
  }

  private async discover(ctx: AuthContext): Promise<string> {
    if (this.config.cloudId !== undefined) return this.config.cloudId;
    const discovery = {
      source: ctx.source,
      logger: this.opts.logger,
      timeoutMs: this.opts.timeoutMs,
      retryDeadlineMs: this.opts.retryDeadlineMs,
      signal: ctx.signal,
      ...(this.opts.clock ? { clock: this.opts.clock } : {}),
    };
    let cloudId: string | undefined;
    if (this.config.type !== 'scoped-token') {
      cloudId = await accessibleResourceCloudId(this.config.apiBaseUrl, this.opts.site, await this.credential.headers(ctx), discovery);
    }
    cloudId ??= await tenantInfoCloudId(this.opts.site, discovery);
    this.opts.logger.info('discovered the site\'s cloud id', { event: 'auth.cloud_id_discovered', source: ctx.source, site: this.opts.site, cloudId });
    return cloudId;
  }
}

function gatewayHint(config: GatewayAuthConfig, scopes: string): string {
  const cloud = config.cloudId === undefined ? 'the discovered cloud id' : 'auth.cloudId';
  if (config.type === 'scoped-token') {
    return `check auth.email and auth.apiToken, that the token has not expired or been revoked, that it has the scope ${scopes}, and that ${cloud} is this site's`;
  }
  if (config.type === 'oauth2') {
    return `the access token was refused even after a refresh: check that the app has the scope ${scopes}, that the authorizing user still has access to this site, and that ${cloud} is this site's`;
  }
  return `the access token was refused even after a refresh: check that the service account's OAuth 2.0 credential has the scope ${scopes} and access to this site, and that ${cloud} is this site's`;
}
