import { credentialLabel } from './credential-label.js';
import { credentialTag } from '../util/fingerprint.js';
import type { BasicAuthConfig, ScopedTokenAuthConfig } from './config.js';
import type { Credential } from './credential.js';
import type { RereadableSecret } from '../config/secret-files.js';

/**
 * Email + API token over HTTP Basic: classic tokens against the site, scoped and
 * service-account tokens against the API gateway. Nothing to refresh: a 401 is final unless the
 * token's secret file was rotated.
 */
export class BasicCredential implements Credential {
  readonly type: 'basic' | 'scoped-token';
  readonly label: string;
  readonly tag: string;
  private header: Record<string, string>;

  constructor(
    private readonly config: BasicAuthConfig | ScopedTokenAuthConfig,
    /** The token, when it came from `${file:…}`: read again after a 401 (rotation without restart). */
    private readonly apiToken?: RereadableSecret,
  ) {
    this.type = config.type;
    this.label = credentialLabel(config);
    this.tag = credentialTag(`${config.email}\n${config.apiToken}`);
    this.header = basicHeader(config.email, apiToken?.current() ?? config.apiToken);
  }

  async headers(): Promise<Record<string, string>> {
    return this.header;
  }

  /** Nothing to refresh; only a secret file that now holds another token makes asking again worthwhile. */
  invalidate(): boolean {
    if (!this.apiToken?.reread()) return false;
    this.header = basicHeader(this.config.email, this.apiToken.current());
    return true;
  }
}

function basicHeader(email: string, token: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${email}:${token}`, 'utf8').toString('base64')}` };
}
