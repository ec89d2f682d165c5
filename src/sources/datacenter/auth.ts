/**
 * Data Center credentials: a personal access token (`Authorization: Bearer`) or a username and
 * password (HTTP Basic), sent to the instance itself. Nothing to refresh, so a 401 is final.
 */
import type { AuthProvider, Credential } from '../../auth/credential.js';
import { credentialTag } from '../../util/fingerprint.js';
import type { DcAuthConfig } from './config.js';
import type { DcProduct } from './product.js';

/** Who may read the audit log, per product (Atlassian: "Audit log" admin pages). */
export const DC_AUDIT_PERMISSION: Readonly<Record<DcProduct, string>> = {
  jira: 'a Jira system administrator (the Jira System Administrators global permission)',
  confluence: 'a Confluence system administrator',
  bitbucket: 'a Bitbucket system administrator (or global administrator)',
};

function credentialOf(config: DcAuthConfig): Credential {
  const [label, tag, header] =
    config.type === 'pat'
      ? ['personal access token (auth.token)', credentialTag(`pat\n${config.token}`), `Bearer ${config.token}`]
      : [`password of ${config.username} (auth.username / auth.password)`, credentialTag(`${config.username}\n${config.password}`), `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`];
  return {
    type: config.type,
    label,
    tag,
    headers: async () => ({ authorization: header }),
    invalidate: () => false,
  };
}

export function dcAuthProvider(config: DcAuthConfig, baseUrl: string, product: DcProduct): AuthProvider {
  return {
    credential: credentialOf(config),
    baseUrl: async () => baseUrl,
    unauthorizedHint:
      (config.type === 'pat'
        ? 'check that the token is current (not expired or revoked) and was created on this instance'
        : 'check the username and password (an account locked by CAPTCHA after failed logins also answers 401)') +
      `; the audit log needs ${DC_AUDIT_PERMISSION[product]}`,
  };
}
