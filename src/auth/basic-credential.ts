import { credentialTag } from '../util/fingerprint.js';
import type { BasicAuthConfig, ScopedTokenAuthConfig } from './config.js';
import type { Credential } from './credential.js';

/**
 * Email + API token over HTTP Basic: classic tokens against the site, scoped and
 * service-account tokens against the API gateway. Nothing to refresh, so a 401 is final.
 */
export class BasicCredential implements Credential {
  readonly type: 'basic' | 'scoped-token';
  readonly label: string;
  readonly tag: string;
  private readonly header: Record<string, string>;

  constructor(config: BasicAuthConfig | ScopedTokenAuthConfig) {
    this.type = config.type;
    this.label = `${config.type === 'basic' ? 'API token' : 'scoped API token'} of ${config.email}`;
    this.tag = credentialTag(`${config.email}\n${config.apiToken}`);
    this.header = { authorization: `Basic ${Buffer.from(`${config.email}:${config.apiToken}`, 'utf8').toString('base64')}` };
  }

  async headers(): Promise<Record<string, string>> {
    return this.header;
  }

  invalidate(): boolean {
    return false;
  }
}
