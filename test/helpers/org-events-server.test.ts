import { afterEach, describe, expect, it } from 'vitest';
import {
  fixtureEvents,
  generateEvents,
  startOrgEventsServer,
  type OrgEvent,
  type OrgEventsPage,
  type OrgEventsServer,
  type OrgEventsServerOptions,
} from './org-events-server.js';

const ORG_ID = '00000000-0000-0000-0000-000000000000';
const API_KEY = 'test-api-key-do-not-log';
const T0 = Date.parse('2026-05-19T10:00:00.000Z');

let server: OrgEventsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<OrgEventsServerOptions> = {}): Promise<OrgEventsServer> {
  server = await startOrgEventsServer({ orgId: ORG_ID, apiKey: API_KEY, events: fixtureEvents(), ...options });
  return server;
}

function streamUrl(s: OrgEventsServer, query: Record<string, string>): string {
  return `${s.url}/admin/v1/orgs/${ORG_ID}/events-stream?${new URLSearchParams(query).toString()}`;
}

function get(url: string, apiKey: string | null = API_KEY): Promise<Response> {
  return fetch(url, { headers: apiKey === null ? {} : { authorization: `Bearer ${apiKey}` } });
}

async function getPage(url: string): Promise<OrgEventsPage> {
  const res = await get(url);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as OrgEventsPage;
}

/** Follows meta.next with `limit` re-sent, as the Elastic integration does; returns the pages. */
async function walk(s: OrgEventsServer, first: Record<string, string>, limit: string): Promise<OrgEventsPage[]> {
  const pages = [await getPage(streamUrl(s, { ...first, limit }))];
  for (let next = pages[0]?.meta.next; next; next = pages.at(-1)?.meta.next) {
    pages.push(await getPage(streamUrl(s, { cursor: next, limit })));
  }
  return pages;
}

const ids = (pages: OrgEventsPage[]): string[] => pages.flatMap((p) => p.data.map((e) => e.id));
const byProcessedAt = (events: OrgEvent[]): string[] =>
  [...events].sort((a, b) => Date.parse(a.attributes.processedAt) - Date.parse(b.attributes.processedAt) || (a.id < b.id ? -1 : 1)).map((e) => e.id);

describe('fixture data', () => {
  it('fixtureEvents() loads the Elastic single events and mock pages, deduplicated by id', () => {
    const events = fixtureEvents();
    expect(events).toHaveLength(12);
    expect(new Set(events.map((e) => e.id)).size).toBe(12);
    // The pipeline-test copy wins over the mock-page copy of the same id.
    expect(events.find((e) => e.id === 'a1000005-0000-4000-8000-000000000005')?.attributes.actor.name).toBe('Frank Nguyen');
    expect(events.map((e) => e.id)).toContain('a1000003-0000-4000-8000-000000000003');
  });

  it('generateEvents() makes unique ids and strictly increasing processedAt', () => {
    const events = [...generateEvents(500, T0), ...generateEvents(500, T0 + 1)];
    expect(new Set(events.map((e) => e.id)).size).toBe(1000);
    const first = events.slice(0, 500).map((e) => Date.parse(e.attributes.processedAt));
    expect(first.every((t, i) => i === 0 || t > (first[i - 1] ?? Infinity))).toBe(true);
    expect(new Set(events.map((e) => e.attributes.action)).size).toBeGreaterThan(3);
    expect(new Set(events.map((e) => e.attributes.location?.ip)).size).toBeGreaterThan(3);
    expect(events.every((e) => Date.parse(e.attributes.time) < Date.parse(e.attributes.processedAt))).toBe(true);
  });
});

describe('startOrgEventsServer', () => {
  it('walks every event in processedAt order with a cursor, ending on an empty page', async () => {
    const s = await start();
    const pages = await walk(s, { from: '0', to: String(T0 + 86_400_000), sortOrder: 'asc' }, '5');
    expect(pages.map((p) => p.data.length)).toEqual([5, 5, 2, 0]);
    expect(ids(pages)).toEqual(byProcessedAt(fixtureEvents()));
    expect(pages[0]?.meta.page_size).toBe(5);
    expect(pages.at(-1)).toEqual({ data: [], links: {}, meta: { next: null, page_size: 5 } });
    expect(pages[0]?.links.next).toBe(streamUrl(s, { cursor: pages[0]?.meta.next ?? '' }));
    expect(s.requests.every((r) => r.authOk && r.status === 200)).toBe(true);
    expect(s.requests[1]?.query).toEqual({ cursor: pages[0]?.meta.next, limit: '5' });
  });

  it('links.next works on its own and falls back to the default limit', async () => {
    const s = await start({ events: generateEvents(250, T0) });
    const first = await getPage(streamUrl(s, { limit: '10' }));
    const second = await getPage(first.links.next ?? '');
    expect(second.data).toHaveLength(200);
    expect(second.meta.page_size).toBe(200);
    expect(second.data[0]?.id).toBe(generateEvents(11, T0)[10]?.id);
  });

  it('treats from/to as inclusive bounds and keeps them, and sortOrder, in the cursor', async () => {
    const events = generateEvents(20, T0);
    const s = await start({ events });
    const from = T0 + 5_000;
    const to = T0 + 14_000;
    const asc = await walk(s, { from: String(from), to: String(to) }, '3');
    expect(ids(asc)).toEqual(events.slice(5, 15).map((e) => e.id));
    const desc = await walk(s, { from: String(from), to: String(to), sortOrder: 'desc' }, '4');
    expect(ids(desc)).toEqual(events.slice(5, 15).map((e) => e.id).reverse());
  });

  it('orders events with the same processedAt by id', async () => {
    const [a, b, c] = generateEvents(3, T0, 0);
    if (!a || !b || !c) throw new Error('expected three events');
    const s = await start({ events: [c, a, b] });
    expect(ids([await getPage(streamUrl(s, {}))])).toEqual([a.id, b.id, c.id]);
    expect(ids([await getPage(streamUrl(s, { sortOrder: 'desc' }))])).toEqual([c.id, b.id, a.id]);
  });

  it('requires the bearer API key and never echoes it', async () => {
    const s = await start();
    for (const key of [null, 'wrong-key']) {
      const res = await get(streamUrl(s, {}), key);
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ code: 401, message: 'Unauthorized' });
      expect(text).not.toContain('wrong-key');
    }
    expect(s.requests.map((r) => [r.authOk, r.status])).toEqual([[false, 401], [false, 401]]);
    expect(JSON.stringify(s.requests)).not.toContain('wrong-key');
  });

  it.each(['0', '501', 'abc', '2.5'])('rejects limit=%s with 400 and an Atlassian error body', async (limit) => {
    const s = await start();
    const res = await get(streamUrl(s, { limit }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [expect.objectContaining({ status: '400', code: 'ADMIN-400-3' })] });
  });

  it('rejects malformed time bounds and sort orders', async () => {
    const s = await start();
    const queries: Record<string, string>[] = [{ from: 'yesterday' }, { from: '20', to: '10' }, { sortOrder: 'ASC' }];
    const codes: [number, string | undefined][] = [];
    for (const query of queries) {
      const res = await get(streamUrl(s, query));
      codes.push([res.status, ((await res.json()) as { errors: { code: string }[] }).errors[0]?.code]);
    }
    expect(codes).toEqual([[400, 'ADMIN-400-3'], [400, 'ADMIN-400-3'], [400, 'ADMIN-400-19']]);
  });

  it('answers unknown paths and other organisations with 404', async () => {
    const s = await start();
    expect((await get(`${s.url}/admin/v1/orgs/other-org/events-stream`)).status).toBe(404);
    expect((await get(`${s.url}/admin/v1/orgs/${ORG_ID}/events`)).status).toBe(404);
  });

  it.each(['not-a-cursor', Buffer.from('{"v":1}').toString('base64url'), ''])(
    'rejects the invalid cursor %j with ADMIN-400-1',
    async (cursor) => {
      const s = await start();
      const res = await get(streamUrl(s, { cursor }));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: [expect.objectContaining({ status: '400', code: 'ADMIN-400-1', title: 'Invalid page cursor' })] });
    },
  );

  it('rejectCursors expires every cursor, also when switched on mid-walk', async () => {
    const s = await start();
    const first = await getPage(streamUrl(s, { limit: '2' }));
    s.rejectCursors = true;
    expect((await get(streamUrl(s, { cursor: first.meta.next ?? '' }))).status).toBe(400);
    expect(s.requests.map((r) => r.status)).toEqual([200, 400]);
  });

  it('returns events added during a walk on its later pages', async () => {
    const s = await start({ events: generateEvents(4, T0) });
    const first = await getPage(streamUrl(s, { limit: '3' }));
    const late = generateEvents(2, T0 + 60_000);
    s.addEvents(...late);
    const rest = await walk(s, { cursor: first.meta.next ?? '' }, '3');
    expect(ids(rest)).toEqual([generateEvents(4, T0)[3]?.id, ...late.map((e) => e.id)]);
  });

  it('terminalCursor: the empty last page carries a cursor that later returns new events', async () => {
    const s = await start({ events: generateEvents(3, T0), terminalCursor: true });
    const first = await getPage(streamUrl(s, { from: String(T0), to: String(T0 + 10_000), limit: '5' }));
    const terminal = await getPage(streamUrl(s, { cursor: first.meta.next ?? '' }));
    expect(terminal.data).toEqual([]);
    expect(terminal.meta.next).toEqual(expect.any(String));
    expect((await getPage(streamUrl(s, { cursor: terminal.meta.next ?? '' }))).data).toEqual([]);
    const later = generateEvents(2, T0 + 3_600_000);
    s.addEvents(...later);
    const resumed = await getPage(streamUrl(s, { cursor: terminal.meta.next ?? '' }));
    expect(ids([resumed])).toEqual(later.map((e) => e.id));
    expect(resumed.meta.next).not.toBeNull();
  });

  describe('faults', () => {
    it('serves scripted statuses with Atlassian bodies and headers, then recovers', async () => {
      const s = await start();
      s.enqueue(
        { status: 429, headers: { 'retry-after': '1', 'x-ratelimit-reset': '2026-05-19T10:00:05Z' } },
        { status: 500 },
        { status: 503 },
      );
      const limited = await get(streamUrl(s, {}));
      expect([limited.status, limited.headers.get('retry-after'), limited.headers.get('x-ratelimit-reset')]).toEqual([429, '1', '2026-05-19T10:00:05Z']);
      expect(await limited.json()).toEqual({ code: 429, message: 'Too Many Requests' });
      const failed = await get(streamUrl(s, {}));
      expect(await failed.json()).toEqual({ errors: [expect.objectContaining({ status: '500', code: 'ADMIN-500-1' })] });
      expect((await get(streamUrl(s, {}))).status).toBe(503);
      expect((await get(streamUrl(s, {}))).status).toBe(200);
      expect(s.requests.map((r) => [r.status, r.fault])).toEqual([[429, 'status'], [500, 'status'], [503, 'status'], [200, undefined]]);
    });

    it('serves malformed JSON and HTML with status 200', async () => {
      const s = await start();
      s.enqueue({ status: 200, body: '{"data": [' }, { html: true });
      const malformed = await get(streamUrl(s, {}));
      expect(malformed.status).toBe(200);
      await expect(malformed.json()).rejects.toThrow(SyntaxError);
      const html = await get(streamUrl(s, {}));
      expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await html.text()).toMatch(/^<!DOCTYPE html>/);
    });

    it('truncates a page after promising its full length', async () => {
      const s = await start();
      s.enqueue({ truncate: true });
      const res = await get(streamUrl(s, {}));
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('content-length'))).toBeGreaterThan(1000);
      await expect(res.text()).rejects.toThrow();
      expect(s.requests[0]).toMatchObject({ status: 200, fault: 'truncate' });
    });

    it('hangs before serving, and destroys the socket without answering', async () => {
      const s = await start();
      s.enqueue({ hangMs: 150 }, { destroy: true });
      const started = Date.now();
      expect((await getPage(streamUrl(s, {}))).data).toHaveLength(12);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await expect(get(streamUrl(s, {}))).rejects.toThrow(/fetch failed/);
      expect(s.requests.map((r) => [r.status, r.fault])).toEqual([[200, 'hang'], [0, 'destroy']]);
    });
  });
});
