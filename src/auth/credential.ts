import type { AuthType } from './config.js';

/** Who is asking, so an error raised while refreshing a shared credential names a source. */
export interface AuthContext {
  readonly signal: AbortSignal;
  readonly source: string;
}

/**
 * One configured secret and what it takes to turn it into request headers. Shared by every
 * source that uses the same secret: an OAuth refresh token rotates on use, so two sources
 * refreshing it independently would invalidate each other.
 */
export interface Credential {
  /** `pat`: a Data Center personal access token (sources/datacenter/auth.ts). */
  readonly type: AuthType | 'pat';
  /** Names the credential for people (type plus email or client id); never the secret. */
  readonly label: string;
  /** Short non-reversible tag, to key rate limiters per credential. */
  readonly tag: string;
  /** Headers valid now; fetches or refreshes an access token first when one is due. */
  headers(ctx: AuthContext): Promise<Record<string, string>>;
  /**
   * The API refused the current headers (401). Drops a cached access token and says whether
   * asking again with fresh headers may succeed; static credentials answer false.
   */
  invalidate(): boolean;
}

export type Product = 'jira' | 'confluence';

/** A credential bound to one source's site and product. */
export interface AuthProvider {
  readonly credential: Credential;
  /** Where product REST paths are rooted: the site itself, or `{apiBaseUrl}/ex/{product}/{cloudId}`. */
  baseUrl(ctx: AuthContext): Promise<string>;
  /** What to check when the API still answers 401, worded for this credential type and product. */
  readonly unauthorizedHint: string;
}
