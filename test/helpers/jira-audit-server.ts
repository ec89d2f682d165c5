// A fake Atlassian cloud site serving the Jira Cloud audit records API
// (GET /rest/api/3/auditing/record, per jira-platform-v3-auditing.openapi.json) on loopback,
// both on the site and through the API gateway path /ex/jira/{cloudId}, with the site's
// /_edge/tenant_info and every way Atlassian authenticates a caller. The site core
// (startSiteServer) is shared with the Confluence fake.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CancellableDelays, closeServer, listenOnLoopback } from './http-server-utils.js';
import type { OAuthServer } from './oauth-server.js';

export interface SiteAuth {
  /** Classic API token: Basic auth on the site itself. */
  basic?: { email: string; apiToken: string };
  /** Scoped / service-account API token: Basic auth, gateway only. */
  scoped?: { email: string; apiToken: string };
  /** Bearer access tokens issued by this fake authorization server: gateway only. */
  oauth?: OAuthServer;
}

export type SiteFault = { status: number; headers?: Record<string, string>; body?: string } | { hangMs: number } | { destroy: true };

export interface SiteRequest {
  path: string;
  query: Record<string, string>;
  via: 'site' | 'gateway';
  auth: 'basic' | 'scoped' | 'bearer' | 'none' | 'refused';
  status: number;
}

export interface SiteServer {
  readonly url: string;
  readonly cloudId: string;
  /** API requests only (not tenant_info or accessible-resources). */
  readonly requests: SiteRequest[];
  tenantInfoRequests: number;
  enqueue(...faults: SiteFault[]): void;
  close(): Promise<void>;
}

export interface SiteOptions {
  product: 'jira' | 'confluence';
  cloudId?: string;
  auth: SiteAuth;
  /** Answers an authenticated API request; `rest` is the path below the site or gateway prefix. */
  api(rest: string, query: URLSearchParams): { status: number; body: unknown };
}

export const DEFAULT_CLOUD_ID = '1324a887-45db-1bf4-1e99-ef0ff456d421';

export async function startSiteServer(options: SiteOptions): Promise<SiteServer> {
  const cloudId = options.cloudId ?? DEFAULT_CLOUD_ID;
  const requests: SiteRequest[] = [];
  const queue: SiteFault[] = [];
  const delays = new CancellableDelays();
  const gateway = `/ex/${options.product}/`;
  let url = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    if (u.pathname === '/_edge/tenant_info') {
      site.tenantInfoRequests++;
      return send(res, 200, { cloudId });
    }
    if (u.pathname === '/oauth/token/accessible-resources') {
      const token = bearer(req);
      if (!options.auth.oauth || !token || !options.auth.oauth.isValidAccessToken(token)) return send(res, 401, { code: 401, message: 'Unauthorized' });
      return send(res, 200, options.auth.oauth.resources);
    }
    let via: SiteRequest['via'] = 'site';
    let rest = u.pathname;
    if (u.pathname.startsWith(gateway)) {
      via = 'gateway';
      const [id, ...tail] = u.pathname.slice(gateway.length).split('/');
      if (id !== cloudId) return send(res, 404, { code: 404, message: 'Site not found' });
      rest = `/${tail.join('/')}`;
    }
    const entry: SiteRequest = { path: rest, query: Object.fromEntries(u.searchParams), via, auth: authOf(req, via, options.auth), status: 0 };
    requests.push(entry);
    const fault = queue.shift();
    if (fault && 'destroy' in fault) return void req.socket.destroy();
    if (fault && 'hangMs' in fault) await delays.wait(fault.hangMs);
    if (fault && 'status' in fault) {
      entry.status = fault.status;
      return send(res, fault.status, fault.body ?? { errorMessages: [`scripted ${fault.status}`] }, fault.headers);
    }
    if (entry.auth === 'refused' || entry.auth === 'none') {
      entry.status = 401;
      // The gateway's wording; the site answers Jira's ErrorCollection.
      return send(res, 401, via === 'gateway' ? { code: 401, message: 'Unauthorized; scope does not match' } : { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'] });
    }
    const answer = options.api(rest, u.searchParams);
    entry.status = answer.status;
    send(res, answer.status, answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  url = await listenOnLoopback(server);
  const site: SiteServer = {
    url,
    cloudId,
    requests,
    tenantInfoRequests: 0,
    enqueue: (...faults) => void queue.push(...faults),
    close: () => closeServer(server, delays),
  };
  return site;
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7) : undefined;
}

function authOf(req: IncomingMessage, via: SiteRequest['via'], auth: SiteAuth): SiteRequest['auth'] {
  const header = req.headers.authorization;
  if (!header) return 'none';
  const basic = (c: { email: string; apiToken: string } | undefined) => c !== undefined && header === `Basic ${Buffer.from(`${c.email}:${c.apiToken}`).toString('base64')}`;
  if (via === 'site') return basic(auth.basic) ? 'basic' : 'refused';
  if (basic(auth.scoped)) return 'scoped';
  const token = bearer(req);
  return token !== undefined && auth.oauth?.isValidAccessToken(token) ? 'bearer' : 'refused';
}

// ---- Jira audit records ---------------------------------------------------------------

export interface JiraRecord {
  id: number;
  created: string;
  [key: string]: unknown;
}

export interface JiraAuditServerOptions {
  auth: SiteAuth;
  records?: JiraRecord[];
  cloudId?: string;
  /** Cap the server applies to `limit` (Jira's is 1000). */
  maxLimit?: number;
  /** Called before each audit page is computed: tests insert records mid-walk here. */
  beforePage?: (query: { offset: number; limit: number; from: number; to: number }, server: JiraAuditServer) => void;
  /** Answer 403 as a Free plan or non-admin account would. */
  forbidden?: boolean;
  /**
   * The `total` to answer for `matching` records in the query and `served` on the page;
   * undefined leaves it out. Default: matching + 17 (deliberately wrong).
   */
  total?: (matching: number, served: number) => number | undefined;
}

export interface JiraAuditServer extends SiteServer {
  readonly records: JiraRecord[];
  addRecords(...records: JiraRecord[]): void;
  /** Audit page requests served with 200. */
  pagesServed(): number;
}

export const JIRA_FIXTURE = new URL('../fixtures/jira-audit/elastic/test-audit-cloud.log', import.meta.url);

/** The 82 Jira Cloud records of the Elastic fixture, newest first as the API lists them. */
export function jiraFixtureRecords(): JiraRecord[] {
  return readFileSync(JIRA_FIXTURE, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JiraRecord);
}

/** Jira's timestamp format for `created`. */
export function jiraCreated(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export async function startJiraAuditServer(options: JiraAuditServerOptions): Promise<JiraAuditServer> {
  const records: JiraRecord[] = [];
  const maxLimit = options.maxLimit ?? 1000;
  let served = 0;
  const sortNewestFirst = () => records.sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || b.id - a.id);

  const api = (rest: string, q: URLSearchParams): { status: number; body: unknown } => {
    if (rest !== '/rest/api/3/auditing/record') return { status: 404, body: { errorMessages: ['Not found'] } };
    if (options.forbidden) return { status: 403, body: { errorMessages: ['You do not have permission to view the audit log.'] } };
    const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
    let limit = Number(q.get('limit') ?? 1000) || 1000;
    // As documented: a limit <= 0 or above the maximum becomes the maximum.
    if (limit <= 0 || limit > maxLimit) limit = maxLimit;
    const from = q.has('from') ? Date.parse(q.get('from')!) : Number.NEGATIVE_INFINITY;
    const to = q.has('to') ? Date.parse(q.get('to')!) : Number.POSITIVE_INFINITY;
    if (Number.isNaN(from) || Number.isNaN(to)) return { status: 400, body: { errorMessages: ['Invalid date'] } };
    options.beforePage?.({ offset, limit, from, to }, jira);
    sortNewestFirst();
    const matching = records.filter((r) => {
      const t = Date.parse(r.created);
      return t >= from && t <= to;
    });
    served++;
    const page = matching.slice(offset, offset + limit);
    // `total` deliberately wrong by default: clients must not page by it.
    const total = options.total ? options.total(matching.length, page.length) : matching.length + 17;
    return { status: 200, body: { offset, limit, ...(total === undefined ? {} : { total }), records: page } };
  };

  const site = await startSiteServer({ product: 'jira', auth: options.auth, api, ...(options.cloudId ? { cloudId: options.cloudId } : {}) });
  const jira: JiraAuditServer = Object.assign(site, {
    records,
    addRecords: (...added: JiraRecord[]) => void records.push(...added),
    pagesServed: () => served,
  });
  jira.addRecords(...(options.records ?? []));
  return jira;
}
