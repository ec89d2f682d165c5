// A fake Atlassian Organizations API serving GET /admin/v1/orgs/{orgId}/events-stream
// on loopback, following admin-organization-events.openapi.json (PollingEventPage,
// ApplicationError/ProxyError bodies) and the Elastic mock pages, with scriptable faults.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { CancellableDelays, closeServer, listenOnLoopback } from './http-server-utils.js';
import type { OrgEvent } from './org-events-data.js';

export { fixtureEvents, generateEvents, isOrgEvent } from './org-events-data.js';
export type { OrgEvent, OrgEvent as Event, OrgEventActor, OrgEventLocation, OrgEventObject } from './org-events-data.js';

export interface OrgEventsServerOptions {
  orgId: string;
  apiKey: string;
  events?: OrgEvent[];
  /** The empty terminal page carries a cursor that later returns newly processed events. */
  terminalCursor?: boolean;
  /** Every cursor is answered with 400 ADMIN-400-1, as if it had expired. */
  rejectCursors?: boolean;
  /**
   * The last page of a walk carries its data and no `meta.next` (as the API may end a walk),
   * instead of a cursor leading to an empty page.
   */
  lastPageWithoutCursor?: boolean;
}

export type OrgEventsFault =
  /** Any status/body, e.g. 429 + Retry-After, 500, 503, or `{ status: 200, body: 'not json' }`. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Wait, then serve normally. */
  | { hangMs: number }
  /** Drop the connection without answering. */
  | { destroy: true }
  /** 200 with the full Content-Length but only half the body, then drop the connection. */
  | { truncate: true }
  /** 200 with a text/html error page, as a misbehaving proxy would send. */
  | { html: true };

export interface OrgEventsRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authOk: boolean;
  /** Status answered; 0 while pending or when no answer was sent. */
  status: number;
  fault?: 'status' | 'hang' | 'destroy' | 'truncate' | 'html';
}

export interface OrgEventsPage {
  data: OrgEvent[];
  links: { next?: string };
  meta: { next: string | null; page_size: number };
}

export interface OrgEventsServer {
  /** Base URL, e.g. http://127.0.0.1:PORT (the client appends /admin/v1/orgs/...). */
  readonly url: string;
  readonly requests: OrgEventsRequest[];
  /** Mutable so a test can expire cursors in the middle of a walk. */
  rejectCursors: boolean;
  /** The one key accepted; mutable so a test can revoke it and issue another (rotation). */
  apiKey: string;
  addEvents(...events: OrgEvent[]): void;
  enqueue(...faults: OrgEventsFault[]): void;
  close(): Promise<void>;
}

/** Error code used for an out-of-range `limit`; the spec does not name one, this is the brief's choice. */
export const LIMIT_ERROR_CODE = 'ADMIN-400-3';

interface Position { t: number; id: string }
/** What a cursor carries: the walk's original bounds and order, and the last key served. */
interface Walk { from: number | null; to: number | null; order: 'asc' | 'desc'; after: Position | null }
interface Reply { status: number; body: unknown }
interface Stored { event: OrgEvent; key: Position }

export async function startOrgEventsServer(options: OrgEventsServerOptions): Promise<OrgEventsServer> {
  const stored: Stored[] = [];
  const queue: OrgEventsFault[] = [];
  const requests: OrgEventsRequest[] = [];
  const delays = new CancellableDelays();
  const pathPattern = /^\/admin\/v1\/orgs\/([^/]+)\/events-stream$/;
  let url = '';

  function addEvents(...events: OrgEvent[]): void {
    for (const event of events) {
      const t = Date.parse(event.attributes.processedAt);
      if (Number.isNaN(t)) throw new Error(`event ${event.id} has an invalid processedAt`);
      stored.push({ event, key: { t, id: event.id } });
    }
    stored.sort((a, b) => compare(a.key, b.key));
  }

  function serve(req: IncomingMessage, requestUrl: URL, authOk: boolean): Reply {
    // ProxyError shape: the gateway answers before the API sees the request.
    if (!authOk) return { status: 401, body: { code: 401, message: 'Unauthorized' } };
    const match = pathPattern.exec(requestUrl.pathname);
    if (!match) return appError(404, 'ADMIN-404-1', 'Unknown resource');
    if (decodeURIComponent(match[1] ?? '') !== options.orgId) return appError(404, 'ADMIN-404-2', 'Organization not found');
    if (req.method !== 'GET') return appError(405, 'ADMIN-405-1', 'Method not supported');

    const q = requestUrl.searchParams;
    const limit = parseLimit(q.get('limit'));
    if (limit === undefined) return appError(400, LIMIT_ERROR_CODE, 'Invalid limit', 'limit must be an integer from 1 to 500');
    const cursor = q.get('cursor');
    let walk: Walk | undefined;
    if (cursor !== null) {
      walk = server.rejectCursors ? undefined : decodeCursor(cursor);
      if (!walk) return appError(400, 'ADMIN-400-1', 'Invalid page cursor');
    } else {
      const from = parseEpochMs(q.get('from'));
      const to = parseEpochMs(q.get('to'));
      if (from === undefined || to === undefined || (from !== null && to !== null && from > to)) {
        return appError(400, 'ADMIN-400-3', 'Invalid time date', 'from and to must be epoch milliseconds with from <= to');
      }
      const order = q.get('sortOrder') ?? 'asc';
      if (order !== 'asc' && order !== 'desc') return appError(400, 'ADMIN-400-19', 'Request syntax is not valid');
      walk = { from, to, order, after: null };
    }
    return { status: 200, body: page(walk, limit, requestUrl.pathname) };
  }

  function page(walk: Walk, limit: number, pathname: string): OrgEventsPage {
    const { from, to, order, after } = walk;
    const sign = order === 'asc' ? 1 : -1;
    const ordered = order === 'asc' ? stored : [...stored].reverse();
    const remaining = ordered
      .filter(({ key }) => (from === null || key.t >= from) && (to === null || key.t <= to))
      .filter(({ key }) => after === null || sign * compare(key, after) > 0);
    const data = remaining.slice(0, limit);
    const last = data.at(-1);
    let next: string | null = null;
    if (last && options.lastPageWithoutCursor && remaining.length <= limit) next = null;
    else if (last) next = encodeCursor({ ...walk, after: last.key });
    // The documented way to poll for new events, so it must not keep an upper bound.
    else if (options.terminalCursor) next = encodeCursor({ ...walk, to: null });
    const links = next === null ? {} : { next: `${url}${pathname}?${new URLSearchParams({ cursor: next }).toString()}` };
    return { data: data.map((s) => s.event), links, meta: { next, page_size: limit } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', url);
    const authOk = req.headers.authorization === `Bearer ${server.apiKey}`;
    const entry: OrgEventsRequest = {
      method: req.method ?? '',
      path: requestUrl.pathname,
      query: Object.fromEntries(requestUrl.searchParams),
      authOk,
      status: 0,
    };
    requests.push(entry);
    const fault = queue.shift();
    if (fault) entry.fault = faultKind(fault);

    if (fault && 'destroy' in fault) return void req.socket.destroy();
    if (fault && 'hangMs' in fault) {
      await delays.wait(fault.hangMs);
      if (req.socket.destroyed) return;
    }
    if (fault && 'status' in fault) {
      const body = fault.body ?? JSON.stringify(defaultErrorBody(fault.status));
      return send(res, entry, fault.status, 'application/json', body, fault.headers);
    }
    if (fault && 'html' in fault) return send(res, entry, 200, 'text/html; charset=utf-8', HTML_ERROR_PAGE);

    const reply = serve(req, requestUrl, authOk);
    const body = JSON.stringify(reply.body);
    if (fault && 'truncate' in fault) {
      entry.status = reply.status;
      const full = Buffer.from(body);
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': full.length });
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.destroy());
      return;
    }
    send(res, entry, reply.status, 'application/json', body);
  }

  const httpServer = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  url = await listenOnLoopback(httpServer);

  const server: OrgEventsServer = {
    url,
    requests,
    rejectCursors: options.rejectCursors ?? false,
    apiKey: options.apiKey,
    addEvents,
    enqueue: (...faults) => void queue.push(...faults),
    close: () => closeServer(httpServer, delays),
  };
  addEvents(...(options.events ?? []));
  return server;
}

function compare(a: Position, b: Position): number {
  if (a.t !== b.t) return a.t - b.t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function parseLimit(raw: string | null): number | undefined {
  if (raw === null) return 200;
  if (!/^\d+$/.test(raw)) return undefined;
  const limit = Number(raw);
  return limit >= 1 && limit <= 500 ? limit : undefined;
}

/** null when absent, undefined when malformed. */
function parseEpochMs(raw: string | null): number | null | undefined {
  if (raw === null) return null;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

function encodeCursor(walk: Walk): string {
  return Buffer.from(JSON.stringify({ v: 1, ...walk })).toString('base64url');
}

function decodeCursor(cursor: string): Walk | undefined {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Walk> & { v?: unknown };
    const bound = (x: unknown): boolean => x === null || Number.isSafeInteger(x);
    const after = c.after;
    const afterOk = after === null ||
      (typeof after === 'object' && after !== undefined && Number.isSafeInteger(after.t) && typeof after.id === 'string');
    if (c.v !== 1 || !bound(c.from) || !bound(c.to) || (c.order !== 'asc' && c.order !== 'desc') || !afterOk) return undefined;
    return { from: c.from ?? null, to: c.to ?? null, order: c.order, after: after ?? null };
  } catch {
    return undefined;
  }
}

/** Error.*.Model shape: `{ errors: [ApplicationError] }`. */
function appError(status: number, code: string, title: string, detail?: string): Reply {
  const error = { id: `test-${code.toLowerCase()}`, status: String(status), code, title, ...(detail ? { detail } : {}) };
  return { status, body: { errors: [error] } };
}

function defaultErrorBody(status: number): unknown {
  if (status === 500) return appError(500, 'ADMIN-500-1', 'Internal error').body;
  // 401 and 429 are ProxyError in the spec; use the same for other gateway-level statuses.
  return { code: status, message: STATUS_CODES[status] ?? 'Error' };
}

function faultKind(fault: OrgEventsFault): NonNullable<OrgEventsRequest['fault']> {
  if ('status' in fault) return 'status';
  if ('hangMs' in fault) return 'hang';
  if ('destroy' in fault) return 'destroy';
  if ('truncate' in fault) return 'truncate';
  return 'html';
}

function send(res: ServerResponse, entry: OrgEventsRequest, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  entry.status = status;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Atlassian | Something went wrong</title></head>' +
  '<body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>\n';
