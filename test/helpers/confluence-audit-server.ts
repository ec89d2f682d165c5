// A fake Confluence Cloud site serving GET /wiki/rest/api/audit (per
// confluence-v1-audit.openapi.json: startDate/endDate epoch ms, start/limit, newest first,
// records without ids) on the site and via /ex/confluence/{cloudId}, on loopback.
import { readFileSync } from 'node:fs';
import { startSiteServer, type SiteAuth, type SiteServer } from './jira-audit-server.js';

export interface ConfluenceRecord {
  creationDate: number;
  summary?: string;
  [key: string]: unknown;
}

export interface ConfluenceAuditServerOptions {
  auth: SiteAuth;
  records?: ConfluenceRecord[];
  cloudId?: string;
  /** Cap the server applies to `limit`. */
  maxLimit?: number;
  /** Report the applied limit in the envelope (the real API does). Default true. */
  reportLimit?: boolean;
  /** What GET /wiki/rest/api/audit/retention answers (`RetentionPeriod`). Default 1 YEARS, the most the API allows setting. */
  retention?: { number: number; units: string };
  beforePage?: (query: { start: number; limit: number; from: number; to: number }, server: ConfluenceAuditServer) => void;
}

export interface ConfluenceAuditServer extends SiteServer {
  /** Every stored record, in insertion order. */
  allRecords(): ConfluenceRecord[];
  addRecords(...records: ConfluenceRecord[]): void;
  pagesServed(): number;
}

export const CONFLUENCE_FIXTURE = new URL('../fixtures/confluence-audit/elastic/test-audit-cloud.log', import.meta.url);
export const CONFLUENCE_SAMPLE_RESPONSE = new URL('../fixtures/atlassian-samples/confluence-cloud-audit.response.coralogix-fixture.json', import.meta.url);

/** The 37 Confluence Cloud records of the Elastic fixture, newest first. */
export function confluenceFixtureRecords(): ConfluenceRecord[] {
  return readFileSync(CONFLUENCE_FIXTURE, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ConfluenceRecord);
}

/** The one record of the sample response page. */
export function confluenceSampleRecords(): ConfluenceRecord[] {
  return (JSON.parse(readFileSync(CONFLUENCE_SAMPLE_RESPONSE, 'utf8')) as { response: { results: ConfluenceRecord[] } }).response.results;
}

export async function startConfluenceAuditServer(options: ConfluenceAuditServerOptions): Promise<ConfluenceAuditServer> {
  // Insertion order is kept for ties: identical records stay in a stable order between pages.
  const records: { record: ConfluenceRecord; seq: number }[] = [];
  const maxLimit = options.maxLimit ?? 1000;
  let seq = 0;
  let served = 0;

  const api = (rest: string, q: URLSearchParams): { status: number; body: unknown } => {
    if (rest === '/wiki/rest/api/audit/retention') return { status: 200, body: options.retention ?? { number: 1, units: 'YEARS' } };
    if (rest !== '/wiki/rest/api/audit') return { status: 404, body: { statusCode: 404, message: 'Not found' } };
    const start = Math.max(0, Number(q.get('start') ?? 0) || 0);
    let limit = Number(q.get('limit') ?? 1000) || 1000;
    if (limit <= 0 || limit > maxLimit) limit = maxLimit;
    const from = q.has('startDate') ? Number(q.get('startDate')) : Number.NEGATIVE_INFINITY;
    const to = q.has('endDate') ? Number(q.get('endDate')) : Number.POSITIVE_INFINITY;
    if (Number.isNaN(from) || Number.isNaN(to)) return { status: 400, body: { statusCode: 400, message: 'Invalid date' } };
    options.beforePage?.({ start, limit, from, to }, confluence);
    const matching = records
      .filter(({ record }) => record.creationDate >= from && record.creationDate <= to)
      .sort((a, b) => b.record.creationDate - a.record.creationDate || b.seq - a.seq)
      .map(({ record }) => record);
    served++;
    const results = matching.slice(start, start + limit);
    return {
      status: 200,
      body: {
        results,
        start,
        ...(options.reportLimit === false ? {} : { limit }),
        // As in Elastic's mock: `size` is the total, not the page length. Clients must not rely on it.
        size: matching.length,
        _links: { base: 'https://example.atlassian.net/wiki', context: '/wiki', self: 'https://example.atlassian.net/wiki/rest/api/audit' },
      },
    };
  };

  const site = await startSiteServer({ product: 'confluence', auth: options.auth, api, ...(options.cloudId ? { cloudId: options.cloudId } : {}) });
  const confluence: ConfluenceAuditServer = Object.assign(site, {
    allRecords: () => records.map((r) => r.record),
    addRecords: (...added: ConfluenceRecord[]) => void records.push(...added.map((record) => ({ record, seq: seq++ }))),
    pagesServed: () => served,
  });
  // Fixtures list newest first; insert oldest first so ties keep the fixture's order.
  confluence.addRecords(...[...(options.records ?? [])].reverse());
  return confluence;
}
