import * as z from '../util/zod.js';
import { HttpStatusError } from '../errors/http-status-error.js';
import { requestJson } from '../http/json-api.js';
import type { Clock } from '../http/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import { AuthError } from '../errors/auth-error.js';

export interface DiscoveryOptions {
  readonly source: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timeoutMs: number;
  readonly retryDeadlineMs: number;
  readonly signal: AbortSignal;
}

const tenantInfoSchema = z.looseObject({ cloudId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });
const resourcesSchema = z.array(z.looseObject({ id: z.string().min(1), url: z.string().nullish(), name: z.string().nullish() }));

/** `GET {site}/_edge/tenant_info`: public, unauthenticated, answers `{"cloudId": "..."}`. */
export async function tenantInfoCloudId(site: string, opts: DiscoveryOptions): Promise<string> {
  const url = `${site}/_edge/tenant_info`;
  const json = await requestJson(
    { method: 'GET', url, headers: { accept: 'application/json' }, timeoutMs: opts.timeoutMs, signal: opts.signal },
    {
      source: opts.source,
      retryDeadlineMs: opts.retryDeadlineMs,
      logger: opts.logger,
      ...(opts.clock ? { clock: opts.clock } : {}),
      explainStatus: (status) => (status === 404 ? `${site} is not an Atlassian cloud site (no tenant_info); check site or set auth.cloudId` : undefined),
    },
  );
  const parsed = tenantInfoSchema.safeParse(json);
  if (!parsed.success) throw new AuthError(`${site} answered tenant_info without a cloudId; set auth.cloudId`, { source: opts.source, method: 'GET', path: '/_edge/tenant_info', status: 200 });
  return parsed.data.cloudId;
}

/**
 * `GET {apiBaseUrl}/oauth/token/accessible-resources`: the sites an OAuth access token may
 * reach. Undefined when the site is not among them or the endpoint refuses this kind of token
 * (the caller then asks tenant_info and lets the API itself judge the access).
 */
export async function accessibleResourceCloudId(apiBaseUrl: string, site: string, headers: Record<string, string>, opts: DiscoveryOptions): Promise<string | undefined> {
  let json: unknown;
  try {
    json = await requestJson(
      { method: 'GET', url: `${apiBaseUrl}/oauth/token/accessible-resources`, headers: { ...headers, accept: 'application/json' }, timeoutMs: opts.timeoutMs, signal: opts.signal },
      { source: opts.source, retryDeadlineMs: opts.retryDeadlineMs, logger: opts.logger, ...(opts.clock ? { clock: opts.clock } : {}) },
    );
  } catch (err) {
    if (err instanceof HttpStatusError) return undefined;
    throw err;
  }
  const parsed = resourcesSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const wanted = sameSite(site);
  const match = parsed.data.find((r) => typeof r.url === 'string' && sameSite(r.url) === wanted);
  if (!match) {
    opts.logger.warn('site is not among the OAuth token\'s accessible resources; asking the site for its cloud id instead', {
      event: 'auth.cloud_id_fallback',
      source: opts.source,
      site,
      accessible: parsed.data.map((r) => r.url).filter((u) => typeof u === 'string').slice(0, 20),
    });
  }
  return match?.id;
}

function sameSite(url: string): string {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return url.toLowerCase().replace(/\/+$/, '');
  }
}
