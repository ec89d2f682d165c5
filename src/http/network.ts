import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { isLoopbackHost } from '../config/fields.js';
import type { ProxySettings } from '../config/proxy.js';
import type { TlsMaterial } from '../config/tls-files.js';

/** How every outgoing request leaves the process: which proxy, and which TLS material per origin. */
export interface NetworkSettings {
  /** Absent: straight to the target. Never read from process.env here: config loading did that. */
  readonly proxy?: ProxySettings | undefined;
  /** CA bundle / client certificate by URL origin (`https://host:port`); other origins use Node's roots. */
  readonly tlsByOrigin?: ReadonlyMap<string, TlsMaterial>;
}

const CONNECT_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_MS = 30_000;
const NO_TLS: TlsMaterial = {};

let settings: NetworkSettings = {};
/** Keep-alive pools, one per (proxied or not, TLS material); shared by every source and the sink. */
const pools = new Map<TlsMaterial, { direct?: Dispatcher; proxied?: Dispatcher }>();

/**
 * Sets the proxy and TLS material for the requests that follow. Pools built for earlier
 * settings are closed (their requests finish first).
 */
export function configureNetwork(next: NetworkSettings): void {
  void closeNetwork();
  settings = next;
}

/**
 * The dispatcher for a request to `url`. Loopback targets never go through the proxy (as Go's
 * and so the Collector's proxy handling does): a sidecar collector or a local relay stays
 * reachable when HTTPS_PROXY is set for the whole host. The rest goes through undici's
 * EnvHttpProxyAgent with the settings given (NO_PROXY matching is undici's).
 */
export function dispatcherFor(url: URL): Dispatcher {
  const tls = settings.tlsByOrigin?.get(url.origin) ?? NO_TLS;
  const proxy = settings.proxy;
  const useProxy = proxy !== undefined && !isLoopbackHost(url.hostname);
  let pool = pools.get(tls);
  if (!pool) pools.set(tls, (pool = {}));
  if (useProxy) return (pool.proxied ??= proxiedAgent(proxy, tls));
  return (pool.direct ??= new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS, ...tls }, keepAliveTimeout: KEEP_ALIVE_MS }));
}

function proxiedAgent(proxy: ProxySettings, tls: TlsMaterial): Dispatcher {
  return new EnvHttpProxyAgent({
    // Empty strings, not undefined: undici would fall back to the environment, and a config
    // `proxy:` section replaces the variables as a whole.
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? '',
    noProxy: proxy.noProxy ?? '',
    // http:// targets are forwarded with an absolute URI, as proxies expect of plain http; https:// is tunnelled (CONNECT).
    proxyTunnel: false,
    keepAliveTimeout: KEEP_ALIVE_MS,
    // Hosts NO_PROXY exempts connect directly with these options …
    connect: { timeout: CONNECT_TIMEOUT_MS, ...tls },
    // … tunnelled ones do TLS with the target over the CONNECT socket with these.
    requestTls: { timeout: CONNECT_TIMEOUT_MS, ...tls },
    proxyTls: { timeout: CONNECT_TIMEOUT_MS },
  });
}

/** Closes every pool; the next request opens new ones with the current settings. */
export async function closeNetwork(): Promise<void> {
  const closing = [...pools.values()].flatMap((p) => [p.direct, p.proxied]).filter((d): d is Dispatcher => d !== undefined);
  pools.clear();
  await Promise.all(closing.map((d) => d.close().catch(() => undefined)));
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
