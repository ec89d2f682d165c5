import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatHostPort, type HostPort } from './config.js';
import type { Readiness } from './readiness.js';

export interface HealthRoutes {
  /** /readyz: 200 when every source is ready, else 503; the body says which source is behind and why. */
  readiness(): Readiness;
  /** /metrics in Prometheus text; absent: 404. */
  readonly metrics?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface HealthServer {
  /** Where it listens, as host:port (the real port when 0 was asked for). */
  readonly address: string;
  close(): Promise<void>;
}

/** Why the endpoint could not listen, e.g. EADDRINUSE; `address` is what was asked for. */
export class HealthListenError extends Error {
  constructor(
    readonly address: string,
    readonly code: string,
    cause: unknown,
  ) {
    super(`${address}: ${describeListenError(code)}`, { cause });
  }
}

/**
 * The health endpoint of `run`: /healthz (the process is up), /readyz (every source polled
 * successfully lately, JSON) and optionally /metrics. GET and HEAD only; nothing is cached.
 */
export async function startHealthServer(endpoint: HostPort, routes: HealthRoutes): Promise<HealthServer> {
  const server = createServer((req, res) => handle(req, res, routes));
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  const asked = formatHostPort(endpoint);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new HealthListenError(asked, err.code ?? 'ERROR', err)));
    server.listen({ host: endpoint.host, port: endpoint.port, exclusive: true }, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    address: formatHostPort({ host: bound.address, port: bound.port }),
    close: () => (closed ??= closeServer(server)),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, routes: HealthRoutes): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed; use GET' }, { allow: 'GET, HEAD' });
  switch (path) {
    case '/healthz':
      return json(res, 200, { status: 'ok' });
    case '/readyz': {
      const readiness = routes.readiness();
      return json(res, readiness.status === 'ready' ? 200 : 503, readiness);
    }
    case '/metrics':
      if (!routes.metrics) return json(res, 404, { error: '/metrics is off; set telemetry.metrics.prometheus: true' });
      res.setHeader('cache-control', 'no-store');
      return routes.metrics(req, res);
    default:
      return json(res, 404, { error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

function describeListenError(code: string): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'address already in use (another process listens there; choose another port in telemetry.health.endpoint, or set telemetry.health.enabled: false)';
    case 'EADDRNOTAVAIL':
      return 'address not available on this host (check telemetry.health.endpoint)';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    default:
      return `cannot listen (${code})`;
  }
}
