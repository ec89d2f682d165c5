import { join } from 'node:path';
import type { Clock } from '../http/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import { BasicCredential } from './basic-credential.js';
import { ClientCredentialsCredential } from './client-credentials-credential.js';
import type { AuthConfig } from './config.js';
import type { Credential } from './credential.js';
import type { RereadableSecret } from '../config/secret-files.js';
import { OAuth2Credential, oauth2CredentialTag } from './oauth2-credential.js';
import { RefreshTokenFile } from './refresh-token-file.js';

export interface CredentialRegistryOptions {
  /** Where rotated OAuth refresh tokens are saved (the receiver's state directory). */
  readonly stateDirectory: string;
  readonly logger: Logger;
  readonly clock?: Clock;
}

/** Secrets that came from `${file:…}` and may be read again (see config/secret-files.ts). */
export interface CredentialSecrets {
  readonly apiToken?: RereadableSecret | undefined;
  readonly clientSecret?: RereadableSecret | undefined;
}

export interface CredentialHttpOptions {
  readonly timeoutMs: number;
  readonly retryDeadlineMs: number;
}

/**
 * One Credential per distinct secret, however many sources use it: a Jira and a Confluence
 * source authorised by the same 3LO grant must share one refresh chain, or each rotation
 * would retire the other's refresh token.
 */
export class CredentialRegistry {
  private readonly credentials = new Map<string, Credential>();

  constructor(private readonly opts: CredentialRegistryOptions) {}

  get(config: AuthConfig, http: CredentialHttpOptions, secrets: CredentialSecrets = {}): Credential {
    const candidate = this.create(config, http, secrets);
    const key = `${config.type} ${'tokenUrl' in config ? config.tokenUrl : ''} ${candidate.tag}`;
    const existing = this.credentials.get(key);
    if (existing) return existing;
    this.credentials.set(key, candidate);
    return candidate;
  }

  /**
   * The saved-token file is named after the client id and the config's refresh token, so
   * putting a newly authorised refresh token in the config starts a new chain from it,
   * while an unchanged config keeps following the rotated token on disk.
   */
  refreshTokenFile(tag: string): string {
    return join(this.opts.stateDirectory, `oauth2-${tag}.refresh-token.json`);
  }

  private create(config: AuthConfig, http: CredentialHttpOptions, secrets: CredentialSecrets): Credential {
    const tokenHttp = { ...http, logger: this.opts.logger, ...(this.opts.clock ? { clock: this.opts.clock } : {}) };
    switch (config.type) {
      case 'basic':
      case 'scoped-token':
        return new BasicCredential(config, secrets.apiToken);
      case 'client-credentials':
        return new ClientCredentialsCredential(config, tokenHttp, secrets.clientSecret);
      case 'oauth2':
        return new OAuth2Credential(config, new RefreshTokenFile(this.refreshTokenFile(oauth2CredentialTag(config))), tokenHttp);
    }
  }
}
