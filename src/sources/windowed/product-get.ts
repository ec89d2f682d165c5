import type * as z from '../../util/zod.js';
import { authorizedGetJson } from '../../auth/authorized-get.js';
import type { AuthProvider } from '../../auth/credential.js';
import type { Clock, RateLimiterRegistry } from '../../http/rate-limiter.js';
import type { Logger } from '../../log/logger.js';
import type { ApiRecorder } from '../../telemetry/recorder.js';

export interface ProductClientDeps {
  readonly limiters: RateLimiterRegistry;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly recorder?: ApiRecorder;
}

/** The settings every windowed source's config has (see windowed-config.ts). */
export interface ProductRequestSettings {
  readonly name: string;
  readonly requestsPerMinute: number;
  readonly requestTimeout: number;
  readonly retryDeadline: number;
}

/**
 * GETs one page of a product audit API with the source's credential, limits and retry
 * policy; a body that is not `schema`'s envelope is retried like a malformed one.
 */
export function getProductPage<T>(
  pathAndQuery: string,
  signal: AbortSignal,
  request: { config: ProductRequestSettings; auth: AuthProvider; deps: ProductClientDeps; schema: z.ZodType<T>; explainStatus: (status: number) => string | undefined },
): Promise<T> {
  const { config, deps, schema } = request;
  return authorizedGetJson(pathAndQuery, signal, {
    source: config.name,
    auth: request.auth,
    logger: deps.logger,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.recorder ? { recorder: deps.recorder } : {}),
    limiters: deps.limiters,
    requestsPerMinute: config.requestsPerMinute,
    timeoutMs: config.requestTimeout,
    retryDeadlineMs: config.retryDeadline,
    explainStatus: request.explainStatus,
    accept: (body) => {
      const parsed = schema.safeParse(body);
      return parsed.success ? parsed.data : undefined;
    },
  });
}

/**
 * The page size the server applied: both APIs silently cap `limit` and report the cap, and a
 * page shorter than the applied size is the last one.
 */
export function appliedLimit(requested: number, reported: unknown): number {
  return typeof reported === 'number' && reported > 0 ? Math.min(requested, reported) : requested;
}
