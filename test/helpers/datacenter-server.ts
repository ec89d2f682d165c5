/**
 * A loopback Data Center instance (Jira, Confluence or Bitbucket) serving the audit REST API as
 * the platform does: `GET {contextPath}/rest/auditing/1.0/events?from&to&limit&pageCursor`,
 * newest first, keyset cursor "timestamp,id", `pagingInfo{lastPage, nextPageCursor, nextPageLink,
 * size}`, plus `/configuration/coverage`. Faults are scripted per request: 429 with Retry-After
 * and X-RateLimit-* headers, events inserted while a walk is paging, a nextPageLink to another host.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { DcProduct } from '../../src/sources/datacenter/product.js';
import { CancellableDelays, closeServer, listenOnLoopback } from './http-server-utils.js';

export interface DcEvent extends Record<string, unknown> {
  readonly timestamp: string;
}

export interface DcRequest {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly authorization: string | undefined;
}

export interface DcServerOptions {
  readonly product: DcProduct;
  /** e.g. `/jira`: the instance lives under it. */
  readonly contextPath?: string;
  /** Accepted Authorization header values. */
  readonly authorizations: readonly string[];
  /** Accounts that authenticate but are not administrators (answer 403). */
  readonly forbidden?: readonly string[];
  readonly events?: readonly DcEvent[];
  /** `cursor-object` ({cursor}), `cursor-string` (bare), as versions differ. */
  readonly cursorStyle?: 'cursor-object' | 'cursor-string';
  /** What nextPageLink holds: none, this instance (without from/to, as Bitbucket writes it), or another host. */
  readonly link?: 'none' | 'same' | 'foreign';
  readonly foreignOrigin?: string;
  readonly coverage?: Record<string, string>;
  /** Called before answering the n-th events request (0-based); may return a fault. */
  /** Serve https with this key and certificate (test/fixtures/datacenter/tls). */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly onEventsRequest?: (n: number, server: DcServer) => { status: number; headers?: Record<string, string> } | undefined;
}

export interface DcServer {
  readonly url: string;
  readonly requests: DcRequest[];
  /** Appends events (as if written now), keeping insertion ids. */
  insert(...events: DcEvent[]): void;
  close(): Promise<void>;
}

type Stored = { readonly ms: number; readonly id: number; readonly event: DcEvent };

function newestFirst(a: Stored, b: Stored): number {
  return b.ms - a.ms || b.id - a.id;
}

export async function startDcServer(opts: DcServerOptions): Promise<DcServer> {
  const delays = new CancellableDelays();
  const context = opts.contextPath ?? '';
  const stored: Stored[] = [];
  let nextId = 1;
  let eventsRequests = 0;
  const requests: DcRequest[] = [];
  const insert = (...events: DcEvent[]): void => {
    for (const event of events) stored.push({ ms: Date.parse(event.timestamp), id: nextId++, event });
  };
  insert(...(opts.events ?? []));

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request = { path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization };
    requests.push(request);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (!opts.authorizations.includes(req.headers.authorization ?? '') && !(opts.forbidden ?? []).includes(req.headers.authorization ?? '')) {
      json(401, { message: 'Client must be authenticated to access this resource.' });
      return;
    }
    if ((opts.forbidden ?? []).includes(req.headers.authorization ?? '')) {
      json(403, { message: 'You are not authorized to access this resource.' });
      return;
    }
    if (url.pathname === `${context}/rest/auditing/1.0/configuration/coverage`) {
      json(200, { levelByArea: opts.coverage ?? { AUDIT_LOG: 'BASE', USER_MANAGEMENT: 'BASE' } });
      return;
    }
    if (url.pathname !== `${context}/rest/auditing/1.0/events`) {
      json(404, { message: 'null for uri' });
      return;
    }
    const fault = opts.onEventsRequest?.(eventsRequests++, server);
    if (fault) {
      json(fault.status, { message: 'scripted fault' }, fault.headers);
      return;
    }
    json(200, page(url));
  };

  const page = (url: URL): unknown => {
    const q = url.searchParams;
    const from = q.has('from') ? Date.parse(q.get('from')!) : Number.NEGATIVE_INFINITY;
    const to = q.has('to') ? Date.parse(q.get('to')!) : Number.POSITIVE_INFINITY;
    const limit = Math.min(Number(q.get('limit') ?? 200), 100_000);
    let list = stored.filter((s) => s.ms >= from && s.ms <= to).sort(newestFirst);
    const cursor = q.get('pageCursor');
    if (cursor) {
      const [ms, id] = cursor.split(',').map(Number) as [number, number];
      list = list.filter((s) => s.ms < ms || (s.ms === ms && s.id < id));
    }
    const entities = list.slice(0, limit);
    const lastPage = list.length <= limit;
    const last = entities[entities.length - 1];
    const pagingInfo: Record<string, unknown> = { lastPage, size: entities.length };
    if (!lastPage && last) {
      const next = `${last.ms},${last.id}`;
      pagingInfo['nextPageCursor'] = opts.cursorStyle === 'cursor-string' ? next : { cursor: next };
      pagingInfo['nextPageOffset'] = 0;
      const linkParams = `offset=0&limit=${limit}&pageCursor=${encodeURIComponent(next)}`;
      if (opts.link === 'same') pagingInfo['nextPageLink'] = `${origin}${context}/rest/auditing/1.0/events?${linkParams}`;
      if (opts.link === 'foreign') pagingInfo['nextPageLink'] = `${opts.foreignOrigin ?? 'http://127.0.0.1:9'}${context}/rest/auditing/1.0/events?${linkParams}`;
    }
    return { entities: entities.map((s) => s.event), pagingInfo };
  };

  const http = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handle) : createServer(handle);
  const loopback = await listenOnLoopback(http);
  const origin = opts.tls ? loopback.replace(/^http:/, 'https:') : loopback;
  const server: DcServer = { url: `${origin}${context}`, requests, insert, close: () => closeServer(http, delays) };
  return server;
}

/** A REST-shaped event of `product` at `ms`, built from a template (a fixture entity). */
export function dcEventAt(template: Record<string, unknown>, ms: number, overrides: Record<string, unknown> = {}): DcEvent {
  return { ...structuredClone(template), ...overrides, timestamp: new Date(ms).toISOString() };
}
