import { closeNetwork, proxyEndpoints, transportFor } from './network.js';
import { TransientError } from '../errors/transient-error.js';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** May hold credentials; they never leave this module except on the wire. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parts are sent one after another, as one body. */
  readonly body?: string | Uint8Array | readonly Uint8Array[];
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly signal?: AbortSignal;
  readonly source?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Closes the connection pools (end of a command); the name predates per-origin TLS and proxies. */
export async function closeHttpAgent(): Promise<void> {
  await closeNetwork();
}

/**
 * One HTTP exchange with a total timeout and a body size cap. Transport failures (refused,
 * reset, timeout, body too large) become a TransientError naming the path, never the URL's query.
 */
export async function sendHttp(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const context = { source: req.source, method: req.method, path: url.pathname };
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await transportFor(url)(url, { method: req.method, headers: req.headers, body: req.body, signal });
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > req.maxBodyBytes) {
        res.body.destroy();
        throw new TransientError('HTTP_BODY_TOO_LARGE', `response body exceeds ${req.maxBodyBytes} bytes`, { ...context, status: res.statusCode });
      }
      chunks.push(chunk);
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks, size) };
  } catch (err) {
    if (err instanceof TransientError) throw err;
    if (req.signal?.aborted) throw req.signal.reason ?? err;
    const timedOut = timeout.aborted;
    const detail = timedOut ? `no complete answer within ${req.timeoutMs} ms` : describeTransportError(err);
    throw new TransientError(timedOut ? 'HTTP_TIMEOUT' : 'HTTP_TRANSPORT', `request failed: ${detail}`, context, { cause: err });
  }
}

function describeTransportError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code ?? '';
    const text = code ? `${code}: ${err.message}` : err.message;
    return `${text}${transportHint(code, err.message)}`;
  }
  return String(err);
}

/** The usual fix for the failures an enterprise network causes. */
function transportHint(code: string, message: string): string {
  if (/CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/.test(code)) {
    return ' (a private or TLS-inspecting CA? give it as tls.caFile for a source, exporter.tls.caFile for the collector, or NODE_EXTRA_CA_CERTS)';
  }
  if (/Proxy response \(407\)/.test(message)) return ' (the proxy wants credentials: http://user:password@proxy:port in HTTPS_PROXY or proxy.httpsProxy)';
  if (/Proxy response \(\d+\)/.test(message)) return ' (the proxy refused the tunnel; is the host allowed, or should it be in NO_PROXY?)';
  const proxy = proxyEndpoints().find((p) => message.includes(p.hostPort));
  if (proxy) return ` (${proxy.hostPort} is the proxy from ${proxy.from}: is it up and reachable?)`;
  return '';
}
