import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { TlsMaterial } from '../config/tls-files.js';
import { CONNECT_TIMEOUT_MS, KEEP_ALIVE_MS, type Transport } from './transport.js';

/**
 * Requests that need no proxy go through node:http, not undici: undici costs about 100 ms of
 * start-up and 25-30 MB of resident memory (its WebAssembly HTTP parser), more than the rest of
 * a `once` run, and node:http parses with the llhttp already inside Node.
 */
export class DirectTransport {
  private readonly agent: http.Agent;

  constructor(
    private readonly protocol: 'http:' | 'https:',
    tls: TlsMaterial,
  ) {
    const options = { keepAlive: true, timeout: KEEP_ALIVE_MS };
    this.agent = protocol === 'https:' ? new https.Agent({ ...options, ...tls }) : new http.Agent(options);
  }

  readonly send: Transport = (url, req) =>
    new Promise((resolve, reject) => {
      const request = (this.protocol === 'https:' ? https.request : http.request)(url, { method: req.method, headers: req.headers, agent: this.agent, signal: req.signal });
      request.once('socket', (socket) => this.guardConnect(request, socket));
      // on, not once: the request may emit a second error (a reset while the body is read) after the first settled this.
      request.on('error', reject);
      request.once('response', (res) => {
        // A peer that answered before reading the whole body gets no more of it once its answer
        // is read: nothing of the body is read from memory after the exchange, so the caller may
        // reuse that memory (OtlpHttpSink does, once the page is committed).
        res.once('end', () => {
          if (!request.writableFinished) request.destroy();
        });
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      writeBody(request, req.body);
    });

  /** A connect that hangs (a black-holed address) fails on its own clock, as undici's connect timeout did. */
  private guardConnect(request: http.ClientRequest, socket: Socket): void {
    if (!socket.connecting) return;
    const timer = setTimeout(() => {
      const err = Object.assign(new Error(`connect timed out after ${CONNECT_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' });
      request.destroy(err);
    }, CONNECT_TIMEOUT_MS);
    const done = (): void => clearTimeout(timer);
    socket.once(this.protocol === 'https:' ? 'secureConnect' : 'connect', done);
    socket.once('close', done);
  }

  /** Idle connections close now; busy ones finish their request first and then close. */
  close(): void {
    // Sockets freed from now on are destroyed rather than pooled (the documented override).
    this.agent.keepSocketAlive = () => false;
    for (const sockets of Object.values(this.agent.freeSockets)) for (const s of sockets ?? []) s.destroy();
  }
}

/** Parts go out as one write of several buffers (with their total as Content-Length, not chunked). */
function writeBody(request: http.ClientRequest, body: string | Uint8Array | readonly Uint8Array[] | undefined): void {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    request.end(body);
    return;
  }
  if (!request.hasHeader('content-length')) request.setHeader('content-length', body.reduce((n, part) => n + part.length, 0));
  request.cork();
  for (const part of body) request.write(part);
  request.end();
}
