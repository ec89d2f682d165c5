import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Plays `GET /admin/v1/orgs/{orgId}/events-stream` on loopback for `demo`, so the demo
 * exercises the real client, paging and checkpoint code instead of a shortcut.
 * Cursors are the index of the next event; the walk's `to` bound travels with them.
 */
export async function startDemoApiServer(orgId: string, apiKey: string, events: readonly Record<string, unknown>[]): Promise<{ url: string; close(): Promise<void> }> {
  const processed = (e: Record<string, unknown>) => Date.parse(String((e.attributes as { processedAt: string }).processedAt));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== `/admin/v1/orgs/${orgId}/events-stream`) return send(404, { errors: [{ status: '404', code: 'ADMIN-404-1', title: 'Not found' }] });
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { errors: [{ status: '401', code: 'ADMIN-401-1', title: 'Unauthorized' }] });
    const limit = Number(url.searchParams.get('limit') ?? 200);
    const cursor = url.searchParams.get('cursor');
    let [start, from, to] = [0, Number(url.searchParams.get('from') ?? 0), Number(url.searchParams.get('to') ?? Date.now())];
    if (cursor) [start, from, to] = cursor.split('.').map(Number) as [number, number, number];
    const matching = events.filter((e) => processed(e) >= from && processed(e) <= to);
    const data = matching.slice(start, start + limit);
    const more = start + limit < matching.length;
    send(200, { data, links: {}, meta: { next: more ? `${start + limit}.${from}.${to}` : null, page_size: limit } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
