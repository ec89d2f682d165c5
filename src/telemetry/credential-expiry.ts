import { credentialLabel, ORG_API_KEY_LABEL } from '../auth/credential-label.js';
import type { SourceConfig } from '../config/schema.js';

const DAY_MS = 86_400_000;

/** A configured credential's expiry; `credential` names it without the secret. */
export interface CredentialExpiry {
  readonly source: string;
  readonly credential: string;
  readonly expiresAtMs: number;
  /** The config key it came from, for messages. */
  readonly key: string;
}

export type ExpiryState = 'ok' | 'expiring' | 'expired';

/** Every expiry the config states: `apiKeyExpiresAt` on org sources, `auth.expiresAt` elsewhere. */
export function configuredExpiries(sources: readonly SourceConfig[]): CredentialExpiry[] {
  const out: CredentialExpiry[] = [];
  for (const s of sources) {
    if (s.type === 'org-events') {
      if (s.apiKeyExpiresAt !== undefined) out.push({ source: s.name, credential: ORG_API_KEY_LABEL, expiresAtMs: s.apiKeyExpiresAt, key: 'apiKeyExpiresAt' });
    } else if (s.type === 'datacenter-audit') {
      const label = s.auth.type === 'pat' ? 'personal access token (auth.token)' : `password of ${s.auth.username} (auth.username / auth.password)`;
      if (s.auth.expiresAt !== undefined) out.push({ source: s.name, credential: label, expiresAtMs: s.auth.expiresAt, key: 'auth.expiresAt' });
    } else if ('auth' in s && s.auth.expiresAt !== undefined) {
      // Local audit-log files (datacenter-audit-file) have no credential.
      out.push({ source: s.name, credential: credentialLabel(s.auth), expiresAtMs: s.auth.expiresAt, key: 'auth.expiresAt' });
    }
  }
  return out;
}

export function expiryState(e: CredentialExpiry, nowMs: number, warnBeforeMs: number): ExpiryState {
  if (e.expiresAtMs <= nowMs) return 'expired';
  return e.expiresAtMs - nowMs <= warnBeforeMs ? 'expiring' : 'ok';
}

/** Whole days left, rounded down (0 on the last day); negative once expired. */
export function daysLeft(e: CredentialExpiry, nowMs: number): number {
  return Math.floor((e.expiresAtMs - nowMs) / DAY_MS);
}

/** e.g. `organization API key (apiKey) expires 2027-05-01T00:00:00.000Z: 12 days left`. */
export function describeExpiry(e: CredentialExpiry, nowMs: number): string {
  const at = new Date(e.expiresAtMs).toISOString();
  if (e.expiresAtMs <= nowMs) {
    const ago = Math.floor((nowMs - e.expiresAtMs) / DAY_MS);
    return `${e.credential} expired ${at} (${ago === 0 ? 'today' : `${ago} day${ago === 1 ? '' : 's'} ago`})`;
  }
  const left = daysLeft(e, nowMs);
  return `${e.credential} expires ${at}: ${left === 0 ? 'less than a day' : `${left} day${left === 1 ? '' : 's'}`} left`;
}
