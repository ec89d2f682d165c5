// The loopback Atlassian APIs the benchmark drains: Organizations `events-stream` and Jira
// `auditing/record`, with pages generated on demand (about 1 ms per 500 events) from
// datasets the parent registers. Usable in-process (`createApiHandler`) or as a forked
// process (`node fake-api.js`, driven over IPC) so its CPU is not the receiver's.
import { createServer } from 'node:http';
import { OrgBacklog } from './org-data.js';
import { JiraBacklog, parseJiraTime } from './jira-data.js';

const ORG_PATH = /^\/admin\/v1\/orgs\/([^/]+)\/events-stream$/;
const JIRA_PATH = '/rest/api/3/auditing/record';

function newStats() {
  return { requests: 0, emptyPages: 0, eventsServed: 0, statuses: {}, firstRequestNs: null, lastRequestNs: null, times: null };
}

/**
 * Datasets: org ones keyed by orgId (Bearer apiKey), Jira ones keyed by the Basic user.
 * `onRequest(dataset, info)` is called for every request that reaches a dataset.
 */
export function createApiHandler({ onRequest } = {}) {
  const org = new Map();
  const jira = new Map();
  let baseUrl = '';

  function send(res, status, body, stats) {
    if (stats) stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    if (stats && status === 200) stats.bytesServed = (stats.bytesServed ?? 0) + Buffer.byteLength(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  function arrive(ds) {
    const now = process.hrtime.bigint();
    ds.stats.requests++;
    ds.stats.firstRequestNs ??= now;
    ds.stats.lastRequestNs = now;
  }

  function serveOrg(req, res, url, orgId) {
    const ds = org.get(orgId);
    if (!ds) return send(res, 404, '{"errors":[{"status":"404","code":"ADMIN-404-2","title":"Organization not found"}]}');
    arrive(ds);
    if (req.headers.authorization !== `Bearer ${ds.apiKey}`) return send(res, 401, '{"code":401,"message":"Unauthorized"}', ds.stats);
    const q = url.searchParams;
    const limit = q.has('limit') ? Number(q.get('limit')) : 200;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return send(res, 400, '{"errors":[{"status":"400","code":"ADMIN-400-3","title":"Invalid limit"}]}', ds.stats);
    let start, end;
    const cursor = q.get('cursor');
    if (cursor !== null) {
      const c = OrgBacklog.decodeCursor(cursor);
      if (!c) return send(res, 400, '{"errors":[{"status":"400","code":"ADMIN-400-1","title":"Invalid page cursor"}]}', ds.stats);
      ({ start, end } = c);
    } else {
      if ((q.get('sortOrder') ?? 'asc') !== 'asc') return send(res, 400, '{"errors":[{"status":"400","code":"ADMIN-400-19","title":"only asc is served by the bench"}]}', ds.stats);
      const from = q.has('from') ? Number(q.get('from')) : 0;
      const to = q.has('to') ? Number(q.get('to')) : Number.MAX_SAFE_INTEGER;
      start = ds.backlog.firstAtOrAfter(from);
      end = Math.max(start, ds.backlog.endAtOrBefore(to));
    }
    const page = ds.backlog.page(start, end, limit, `${baseUrl}${url.pathname}`);
    record(ds, page.count);
    send(res, 200, page.body, ds.stats);
  }

  function serveJira(req, res, url) {
    const auth = req.headers.authorization ?? '';
    const user = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
    const email = user.slice(0, user.indexOf(':'));
    const ds = jira.get(email);
    if (!ds) return send(res, 401, '{"errorMessages":["Client must be authenticated to access this resource."],"errors":{}}');
    arrive(ds);
    if (user !== `${email}:${ds.apiToken}`) return send(res, 401, '{"errorMessages":["Client must be authenticated to access this resource."],"errors":{}}', ds.stats);
    const q = url.searchParams;
    const offset = q.has('offset') ? Number(q.get('offset')) : 0;
    // The API resets larger limits to 1000.
    const limit = Math.min(1000, q.has('limit') ? Number(q.get('limit')) : 1000);
    const from = parseJiraTime(q.get('from'));
    const to = parseJiraTime(q.get('to'));
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || Number.isNaN(from) || Number.isNaN(to)) {
      return send(res, 400, '{"errorMessages":["Invalid request parameters."],"errors":{}}', ds.stats);
    }
    const { start, end } = ds.backlog.range(from, to);
    const page = ds.backlog.page(start, end, offset, limit);
    record(ds, page.count);
    send(res, 200, page.body, ds.stats);
  }

  function record(ds, count) {
    ds.stats.eventsServed += count;
    if (count === 0) ds.stats.emptyPages++;
    onRequest?.(ds, count);
  }

  const handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    const m = ORG_PATH.exec(url.pathname);
    if (req.method !== 'GET') return send(res, 405, '{}');
    if (m) return serveOrg(req, res, url, decodeURIComponent(m[1]));
    if (url.pathname === JIRA_PATH) return serveJira(req, res, url);
    send(res, 404, '{"errors":[{"status":"404","code":"ADMIN-404-1","title":"Unknown resource"}]}');
  };

  return {
    handler,
    setBaseUrl(url) {
      baseUrl = url;
    },
    addOrg({ orgId, apiKey, total, baseMs, stepMs }) {
      const ds = { kind: 'org', apiKey, backlog: new OrgBacklog({ total, baseMs, stepMs }), stats: newStats() };
      org.set(orgId, ds);
      return ds;
    },
    addJira({ email, apiToken, total, baseMs, stepMs }) {
      const ds = { kind: 'jira', apiToken, backlog: new JiraBacklog({ total, baseMs, stepMs }), stats: newStats() };
      jira.set(email, ds);
      return ds;
    },
    stats(kind, key) {
      const ds = (kind === 'org' ? org : jira).get(key);
      if (!ds) throw new Error(`no ${kind} dataset ${key}`);
      const s = ds.stats;
      return { ...s, firstRequestNs: s.firstRequestNs?.toString() ?? null, lastRequestNs: s.lastRequestNs?.toString() ?? null };
    },
    remove(kind, key) {
      (kind === 'org' ? org : jira).delete(key);
    },
  };
}

export async function listen(handler) {
  const server = createServer({ keepAliveTimeout: 60_000 }, handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
