import type { AuthProvider } from '../../auth/credential.js';
import { ResponseFormatError } from '../../errors/response-format-error.js';
import { appliedLimit, getProductPage, type ProductClientDeps } from '../windowed/product-get.js';
import type { JiraAuditConfig } from './config.js';
import { jiraAuditPageSchema } from './schema.js';

export const JIRA_AUDIT_PATH = '/rest/api/3/auditing/record';
/** Shown in 401 hints: the classic scope, or the granular one. */
export const JIRA_AUDIT_SCOPES = 'read:audit-log:jira (or the classic manage:jira-configuration)';

export interface JiraPageQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly offset: number;
  readonly limit?: number;
  /** Overrides the source's retryDeadline (`check` must answer promptly). */
  readonly retryDeadlineMs?: number;
}

export interface JiraRecordsPage {
  readonly records: readonly unknown[];
  /** The page size the server applied: a page shorter than this is the last one. */
  readonly limit: number;
  /** How many records the server says match the query; a hint only (it can be absent or wrong). */
  readonly total: number | undefined;
}

/** Jira's own timestamp format (`created` uses it too): explicit offset, milliseconds kept. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** HTTP access to the Jira Cloud audit records endpoint; knows nothing of windows or checkpoints. */
export class JiraAuditClient {
  constructor(
    private readonly config: JiraAuditConfig,
    private readonly auth: AuthProvider,
    private readonly deps: ProductClientDeps,
  ) {}

  async fetchPage(query: JiraPageQuery, signal: AbortSignal): Promise<JiraRecordsPage> {
    const limit = query.limit ?? this.config.pageSize;
    const params = new URLSearchParams({
      offset: String(query.offset),
      limit: String(limit),
      from: jiraTime(query.fromMs),
      to: jiraTime(query.toMs),
    });
    const page = await getProductPage(`${JIRA_AUDIT_PATH}?${params}`, signal, { config: query.retryDeadlineMs === undefined ? this.config : { ...this.config, retryDeadline: query.retryDeadlineMs }, auth: this.auth, deps: this.deps, schema: jiraAuditPageSchema, explainStatus });
    // Jira answers a limit above its maximum with its maximum, and says so in `limit`.
    const total = typeof page.total === 'number' && Number.isSafeInteger(page.total) && page.total >= 0 ? page.total : undefined;
    return { records: page.records, limit: appliedLimit(limit, page.limit), total };
  }

  formatError(message: string): ResponseFormatError {
    return new ResponseFormatError(message, { source: this.config.name, method: 'GET', path: JIRA_AUDIT_PATH, status: 200 });
  }
}

function explainStatus(status: number): string | undefined {
  if (status === 403) {
    return 'the account may not read the audit log: it needs the Administer Jira global permission, ' +
      'and audit records are unavailable while every Jira product on the site is on the Free plan';
  }
  if (status === 404) return 'no Jira audit API at this address: check site (and auth.cloudId when set)';
  return undefined;
}
