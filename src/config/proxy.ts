import * as z from '../util/zod.js';
import type { ConfigIssue } from '../errors/config-error.js';

/**
 * The egress proxy for every outgoing request (APIs, token endpoints, collector). From
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lower case first, as curl and undici read them), or
 * from the config file's `proxy:` section, which replaces the three variables as a whole.
 */
export interface ProxySettings {
  /** Proxy for https:// targets (tunnelled with CONNECT). */
  readonly httpsProxy?: string;
  /** Proxy for http:// targets (absolute-URI forwarding). */
  readonly httpProxy?: string;
  /** Comma- or space-separated hosts, `.domain` suffixes, `host:port`, or `*`. */
  readonly noProxy?: string;
  /** Where the settings came from, for the start-up line and messages. */
  readonly from: 'config' | 'environment';
}

/** A proxy URL may carry user:password (sent as Proxy-Authorization): never echo it. */
function proxyUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL such as http://proxy.example.com:3128';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// proxy URL';
  if (url.pathname !== '/' || url.search || url.hash) return 'must be the proxy\'s origin only (scheme, host, port)';
  return undefined;
}

const proxyUrl = z.string({ error: 'must be a URL' }).superRefine((text, ctx) => {
  const problem = proxyUrlProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const proxyConfigSchema = z
  .strictObject({
    httpsProxy: proxyUrl.optional(),
    httpProxy: proxyUrl.optional(),
    noProxy: z.string({ error: 'must be a comma-separated list of hosts' }).optional(),
  })
  .optional();

/** Reads the proxy variables; a malformed one is a config issue naming the variable. */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv, issues: ConfigIssue[]): ProxySettings {
  const pick = (lower: string, upper: string) => {
    for (const name of [lower, upper]) {
      const value = env[name]?.trim();
      if (value) return { name, value };
    }
    return undefined;
  };
  const out: { httpsProxy?: string; httpProxy?: string; noProxy?: string } = {};
  for (const [key, lower, upper] of [['httpsProxy', 'https_proxy', 'HTTPS_PROXY'], ['httpProxy', 'http_proxy', 'HTTP_PROXY']] as const) {
    const found = pick(lower, upper);
    if (!found) continue;
    const problem = proxyUrlProblem(found.value);
    if (problem) issues.push({ path: found.name, message: problem });
    else out[key] = found.value;
  }
  const noProxy = pick('no_proxy', 'NO_PROXY');
  if (noProxy) out.noProxy = noProxy.value;
  return { ...out, from: 'environment' };
}

/** The proxy origin without credentials, for logs. */
export function describeProxy(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.username ? ' (with credentials)' : ''}`;
}
