import type { AuthProvider } from '../../auth/credential.js';
import { ResponseFormatError } from '../../errors/response-format-error.js';
import { appliedLimit, getProductPage, type ProductClientDeps } from '../windowed/product-get.js';
import type { ConfluenceAuditConfig } from './config.js';
import { confluenceAuditPageSchema } from './schema.js';
import { confluenceRetention } from './retention.js';
import type { RetentionLimit } from '../../pipeline/replay.js';

export const CONFLUENCE_AUDIT_PATH = '/wiki/rest/api/audit';
export const CONFLUENCE_AUDIT_SCOPES = 'read:audit-log:confluence';

export interface ConfluencePageQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly start: number;
  readonly limit?: number;
  /** Overrides the source's retryDeadline (`check` must answer promptly). */
  readonly retryDeadlineMs?: number;
}

export interface ConfluenceRecordsPage {
  readonly results: readonly unknown[];
  /** The page size the server applied: a page shorter than this is the last one. */
  readonly limit: number;
}

/** HTTP access to the Confluence Cloud audit log; knows nothing of windows or checkpoints. */
export class ConfluenceAuditClient {
  constructor(
    private readonly config: ConfluenceAuditConfig,
    private readonly auth: AuthProvider,
    private readonly deps: ProductClientDeps,
  ) {}

  async fetchPage(query: ConfluencePageQuery, signal: AbortSignal): Promise<ConfluenceRecordsPage> {
    const limit = query.limit ?? this.config.pageSize;
    const params = new URLSearchParams({
      startDate: String(query.fromMs),
      endDate: String(query.toMs),
      start: String(query.start),
      limit: String(limit),
    });
    const page = await getProductPage(`${CONFLUENCE_AUDIT_PATH}?${params}`, signal, { config: query.retryDeadlineMs === undefined ? this.config : { ...this.config, retryDeadline: query.retryDeadlineMs }, auth: this.auth, deps: this.deps, schema: confluenceAuditPageSchema, explainStatus });
    // "May be restricted by fixed system limits": the applied limit, when reported, decides what "short" is.
    return { results: page.results, limit: appliedLimit(limit, page.limit) };
  }

  retention(signal: AbortSignal): Promise<RetentionLimit> {
    return confluenceRetention(signal, { config: this.config, auth: this.auth, deps: this.deps });
  }

  formatError(message: string): ResponseFormatError {
    return new ResponseFormatError(message, { source: this.config.name, method: 'GET', path: CONFLUENCE_AUDIT_PATH, status: 200 });
  }
}

function explainStatus(status: number): string | undefined {
  if (status === 403) return 'the account may not read the audit log: it needs the Confluence Administrator global permission (site or org admin)';
  if (status === 404) return 'no Confluence audit API at this address: check site (and auth.cloudId when set)';
  return undefined;
}
