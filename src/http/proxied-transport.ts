import type { Dispatcher } from 'undici';
import type { ProxySettings } from '../config/proxy.js';
import type { TlsMaterial } from '../config/tls-files.js';
import { CONNECT_TIMEOUT_MS, KEEP_ALIVE_MS, type Transport } from './transport.js';

type Undici = typeof import('undici');

/**
 * undici's module.exports. Node's import gives it as `default` (and named exports besides); the
 * bundled CLI's chunk for this CommonJS package exports `default` only.
 */
async function loadUndici(): Promise<Undici> {
  return (await import('undici')).default as unknown as Undici;
}

/**
 * Requests that may need the egress proxy go through undici's EnvHttpProxyAgent (CONNECT
 * tunnels, NO_PROXY matching). undici is imported on first use: without a proxy it is never loaded.
 */
export class ProxiedTransport {
  private dispatcher: Promise<Dispatcher> | undefined;
  private readonly undici = loadUndici();

  constructor(
    private readonly proxy: ProxySettings,
    private readonly tls: TlsMaterial,
  ) {}

  readonly send: Transport = async (url, req) => {
    const { request } = await this.undici;
    const dispatcher = await (this.dispatcher ??= this.createDispatcher());
    // Parts are joined here: a proxy is the rare case, and undici takes one buffer as it is.
    const body = Array.isArray(req.body) ? Buffer.concat(req.body as readonly Uint8Array[]) : (req.body as string | Uint8Array | undefined);
    const res = await request(url, { method: req.method, headers: req.headers, body, signal: req.signal, dispatcher });
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  };

  private async createDispatcher(): Promise<Dispatcher> {
    const { EnvHttpProxyAgent } = await this.undici;
    const tls = this.tls;
    return new EnvHttpProxyAgent({
      // Empty strings, not undefined: undici would fall back to the environment, and a config
      // `proxy:` section replaces the variables as a whole.
      httpProxy: this.proxy.httpProxy ?? '',
      httpsProxy: this.proxy.httpsProxy ?? '',
      noProxy: this.proxy.noProxy ?? '',
      // http:// targets are forwarded with an absolute URI, as proxies expect of plain http; https:// is tunnelled (CONNECT).
      proxyTunnel: false,
      keepAliveTimeout: KEEP_ALIVE_MS,
      // Hosts NO_PROXY exempts connect directly with these options …
      connect: { timeout: CONNECT_TIMEOUT_MS, ...tls },
      // … tunnelled ones do TLS with the target over the CONNECT socket with these.
      requestTls: { timeout: CONNECT_TIMEOUT_MS, ...tls },
      proxyTls: { timeout: CONNECT_TIMEOUT_MS },
      // The caller's signal bounds the whole exchange; these only keep undici from cutting it shorter.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** In-flight requests finish first (undici's close). */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    if (dispatcher) await (await dispatcher).close().catch(() => undefined);
  }
}
