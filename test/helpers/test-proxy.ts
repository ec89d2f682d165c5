// A loopback egress proxy for the network tests. It resolves made-up host names itself
// (`routes` maps host:port to a loopback port), so a request only arrives if it went through
// the proxy: CONNECT tunnels for https targets, absolute-URI forwarding for plain http.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback } from './http-server-utils.js';

export interface ProxiedRequest {
  /** CONNECT or the forwarded method. */
  readonly method: string;
  /** host:port asked for. */
  readonly target: string;
  /** Path of a forwarded request (none for CONNECT: the proxy cannot see inside the tunnel). */
  readonly path?: string;
  readonly proxyAuthorization?: string;
  /** Status the proxy answered itself (407, 502), or 0 when it passed the request on. */
  readonly refused: number;
}

export interface TestProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startTestProxy(opts: { routes: Record<string, number>; proxyAuthorization?: string }): Promise<TestProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const route = (target: string): number | undefined => opts.routes[target];
  const check = (req: IncomingMessage, target: string, path?: string): { port?: number; refused: number } => {
    const auth = req.headers['proxy-authorization'];
    const port = route(target);
    const refused = opts.proxyAuthorization !== undefined && auth !== opts.proxyAuthorization ? 407 : port === undefined ? 502 : 0;
    requests.push({ method: req.method ?? '', target, ...(path !== undefined ? { path } : {}), ...(auth ? { proxyAuthorization: auth } : {}), refused });
    return refused ? { refused } : { port: port!, refused };
  };

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI required');
      return;
    }
    const target = `${url.hostname}:${url.port || '80'}`;
    const { port, refused } = check(req, target, url.pathname);
    if (refused) {
      res.writeHead(refused, refused === 407 ? { 'proxy-authenticate': 'Basic realm="test"' } : {}).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const { port, refused } = check(req, req.url ?? '');
    if (refused) {
      client.end(`HTTP/1.1 ${refused} ${refused === 407 ? 'Proxy Authentication Required' : 'Bad Gateway'}\r\n\r\n`);
      return;
    }
    const upstream = connect(port!, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });

  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
