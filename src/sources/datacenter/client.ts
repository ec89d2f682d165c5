import type { AuthProvider } from '../../auth/credential.js';
import { ResponseFormatError } from '../../errors/response-format-error.js';
import type { Logger } from '../../log/logger.js';
import { getProductPage, type ProductClientDeps } from '../windowed/product-get.js';
import { DC_AUDIT_PERMISSION } from './auth.js';
import type { DcAuditConfig } from './config.js';
import { dcAuditPageSchema, type DcAuditPage } from './schema.js';
import * as z from '../../util/zod.js';

export const DC_EVENTS_PATH = '/rest/auditing/1.0/events';
export const DC_COVERAGE_PATH = '/rest/auditing/1.0/configuration/coverage';

/** Where the next page is: the server's own link (same origin only) and/or its keyset cursor. */
export interface DcPageRef {
  readonly cursor?: string;
  readonly link?: string;
}

export interface DcPageQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly next?: DcPageRef;
  readonly limit?: number;
  /** Overrides the source's retryDeadline (`check` must answer promptly). */
  readonly retryDeadlineMs?: number;
}

export interface DcEventsPage {
  /** Newest first, as the API lists them. */
  readonly entities: readonly unknown[];
  readonly lastPage: boolean;
  readonly next: DcPageRef | undefined;
}

const coverageSchema = z.looseObject({ levelByArea: z.record(z.string(), z.unknown()) });

/** HTTP access to one instance's audit REST API; knows nothing of windows or checkpoints. */
export class DcAuditClient {
  private readonly base: URL;

  constructor(
    private readonly config: DcAuditConfig,
    private readonly auth: AuthProvider,
    private readonly deps: ProductClientDeps & { readonly logger: Logger },
  ) {
    this.base = new URL(config.baseUrl);
  }

  async fetchPage(query: DcPageQuery, signal: AbortSignal): Promise<DcEventsPage> {
    const params = new URLSearchParams({ from: new Date(query.fromMs).toISOString(), to: new Date(query.toMs).toISOString(), limit: String(query.limit ?? this.config.pageSize) });
    let pathAndQuery = `${DC_EVENTS_PATH}?${params}`;
    const link = query.next?.link === undefined ? undefined : this.sameOriginLink(query.next.link, params);
    if (link !== undefined) pathAndQuery = link;
    else if (query.next?.cursor !== undefined) pathAndQuery += `&pageCursor=${encodeURIComponent(query.next.cursor)}`;
    const page = await this.get(pathAndQuery, dcAuditPageSchema, signal, query.retryDeadlineMs);
    const next = nextRef(page);
    // Without pagingInfo.lastPage, a page that names no next page is the last one.
    return { entities: page.entities, lastPage: page.pagingInfo?.lastPage ?? next === undefined, next };
  }

  /** Areas and their coverage level (OFF, BASE, ADVANCED, FULL), for `check`. */
  async fetchCoverage(signal: AbortSignal, retryDeadlineMs?: number): Promise<Record<string, string>> {
    const body = await this.get(DC_COVERAGE_PATH, coverageSchema, signal, retryDeadlineMs);
    return Object.fromEntries(Object.entries(body.levelByArea).map(([area, level]) => [area, String(level)]));
  }

  formatError(message: string): ResponseFormatError {
    return new ResponseFormatError(message, { source: this.config.name, method: 'GET', path: DC_EVENTS_PATH, status: 200 });
  }

  /**
   * The server's nextPageLink as a path under baseUrl, with our window bounds kept; undefined
   * (use the cursor) when it points at another origin or elsewhere: a link must never carry the
   * credential to a host the config did not name.
   */
  private sameOriginLink(link: string, window: URLSearchParams): string | undefined {
    const url = URL.parse(link, this.base.href);
    const basePath = this.base.pathname.replace(/\/+$/, '');
    if (!url || url.origin !== this.base.origin || url.pathname !== `${basePath}${DC_EVENTS_PATH}`) {
      this.deps.logger.debug('nextPageLink leaves the configured instance; paging by cursor instead', { event: 'api.next_link_ignored', source: this.config.name });
      return undefined;
    }
    // Some versions drop from/to from the link; the window must stay closed.
    for (const key of ['from', 'to']) if (!url.searchParams.has(key)) url.searchParams.set(key, window.get(key)!);
    return `${DC_EVENTS_PATH}${url.search}`;
  }

  private get<T>(pathAndQuery: string, schema: z.ZodType<T>, signal: AbortSignal, retryDeadlineMs: number | undefined): Promise<T> {
    const config = retryDeadlineMs === undefined ? this.config : { ...this.config, retryDeadline: retryDeadlineMs };
    return getProductPage(pathAndQuery, signal, { config, auth: this.auth, deps: this.deps, schema, explainStatus: (status) => explainStatus(status, this.config) });
  }
}

function nextRef(page: DcAuditPage): DcPageRef | undefined {
  const info = page.pagingInfo;
  const raw = info?.nextPageCursor;
  const cursor = typeof raw === 'string' ? raw : (raw?.cursor ?? undefined);
  const link = info?.nextPageLink ?? undefined;
  if (!cursor && !link) return undefined;
  return { ...(cursor ? { cursor } : {}), ...(link ? { link } : {}) };
}

function explainStatus(status: number, config: DcAuditConfig): string | undefined {
  if (status === 403) return `the ${config.auth.type === 'pat' ? 'personal access token' : `account ${config.auth.username}`} is valid but may not read the audit log: it needs ${DC_AUDIT_PERMISSION[config.product]}`;
  if (status === 404) return `no audit REST API at ${config.baseUrl}${DC_EVENTS_PATH}: check baseUrl (with the context path, e.g. https://host/jira) and that the product is Jira 8.8+, Confluence 7.5+ or Bitbucket 7.0+`;
  return undefined;
}
