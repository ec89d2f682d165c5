import type { AuthConfig } from './config.js';

/** Names an `auth:` credential for people, logs and metric attributes: type plus email or client id, never the secret. */
export function credentialLabel(config: AuthConfig): string {
  switch (config.type) {
    case 'basic':
      return `API token of ${config.email}`;
    case 'scoped-token':
      return `scoped API token of ${config.email}`;
    case 'oauth2':
      return `OAuth 2.0 (3LO) refresh token of client ${config.clientId}`;
    case 'client-credentials':
      return `service account OAuth 2.0 credential of client ${config.clientId}`;
  }
}

/** The org source's only credential. */
export const ORG_API_KEY_LABEL = 'organization API key (apiKey)';
