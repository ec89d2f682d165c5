import { isLoopbackHost } from '../config/fields.js';
import type { ProxySettings } from '../config/proxy.js';
import type { TlsMaterial } from '../config/tls-files.js';
import { DirectTransport } from './direct-transport.js';
import { ProxiedTransport } from './proxied-transport.js';
import type { Transport } from './transport.js';

/** How every outgoing request leaves the process: which proxy, and which TLS material per origin. */
export interface NetworkSettings {
  /** Absent: straight to the target. Never read from process.env here: config loading did that. */
  readonly proxy?: ProxySettings | undefined;
  /** CA bundle / client certificate by URL origin (`https://host:port`); other origins use Node's roots. */
  readonly tlsByOrigin?: ReadonlyMap<string, TlsMaterial>;
}

const NO_TLS: TlsMaterial = {};

let settings: NetworkSettings = {};
/** Keep-alive pools, one per (way out, TLS material); shared by every source and the sink. */
const pools = new Map<TlsMaterial, { http?: DirectTransport; https?: DirectTransport; proxied?: ProxiedTransport }>();

/**
 * Sets the proxy and TLS material for the requests that follow. Pools built for earlier
 * settings are closed (their requests finish first).
 */
export function configureNetwork(next: NetworkSettings): void {
  void closeNetwork();
  settings = next;
}

/**
 * The transport for a request to `url`. Loopback targets never go through the proxy (as Go's
 * and so the Collector's proxy handling does): a sidecar collector or a local relay stays
 * reachable when HTTPS_PROXY is set for the whole host. With a proxy, the rest goes through
 * undici's EnvHttpProxyAgent with the settings given (NO_PROXY matching is undici's).
 */
export function transportFor(url: URL): Transport {
  const tls = settings.tlsByOrigin?.get(url.origin) ?? NO_TLS;
  const proxy = settings.proxy;
  let pool = pools.get(tls);
  if (!pool) pools.set(tls, (pool = {}));
  if (proxy !== undefined && !isLoopbackHost(url.hostname)) return (pool.proxied ??= new ProxiedTransport(proxy, tls)).send;
  if (url.protocol === 'https:') return (pool.https ??= new DirectTransport('https:', tls)).send;
  return (pool.http ??= new DirectTransport('http:', tls)).send;
}

/** Closes every pool; the next request opens new ones with the current settings. */
export async function closeNetwork(): Promise<void> {
  const closing = [...pools.values()];
  pools.clear();
  for (const p of closing) {
    p.http?.close();
    p.https?.close();
  }
  await Promise.all(closing.map((p) => p.proxied?.close()));
}

/** `host:port` of each configured proxy with where it came from, to name it in connection errors. */
export function proxyEndpoints(): { hostPort: string; from: string }[] {
  const proxy = settings.proxy;
  if (!proxy) return [];
  const from = proxy.from === 'config' ? 'the config\'s proxy:' : 'HTTPS_PROXY/HTTP_PROXY';
  return [proxy.httpsProxy, proxy.httpProxy]
    .filter((u): u is string => u !== undefined)
    .map((u) => {
      const url = new URL(u);
      return { hostPort: `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`, from };
    });
}
