import { requestJson } from '../../http/json-api.js';
import type { BackoffPolicy } from '../../http/backoff.js';
import type { Clock, RateLimiterRegistry } from '../../http/rate-limiter.js';
import type { Logger } from '../../log/logger.js';
import type { ApiRecorder } from '../../telemetry/recorder.js';
import { credentialTag } from '../../util/fingerprint.js';
import type { OrgEventsConfig } from './config.js';
import { orgEventPageSchema, type OrgEventPage } from './schema.js';
import { HttpStatusError } from '../../errors/http-status-error.js';
import { ORG_API_KEY_LABEL } from '../../auth/credential-label.js';
import { ROTATION_README } from '../../auth/rotation.js';
import type { RereadableSecret } from '../../config/secret-files.js';
import { splitArrayMember } from '../../util/json-array-member.js';

export type OrgPageQuery =
  | { readonly cursor: string }
  | { readonly fromMs: number; readonly toMs: number };

/** Atlassian documents 60 requests/min per user across the Admin API. */
const PER_CREDENTIAL_PER_MINUTE = 60;

/** HTTP access to `GET /admin/v1/orgs/{orgId}/events-stream`; knows nothing of checkpoints. */
export class OrgEventsClient {
  private readonly url: string;
  private readonly apiKey: RereadableSecret;
  /** Once the key has worked, a 401 most likely means it expired or was revoked. */
  private worked = false;

  constructor(
    private readonly config: OrgEventsConfig,
    private readonly deps: { limiters: RateLimiterRegistry; logger: Logger; clock?: Clock; backoff?: BackoffPolicy; recorder?: ApiRecorder; apiKey?: RereadableSecret },
  ) {
    this.url = `${config.baseUrl}/admin/v1/orgs/${encodeURIComponent(config.orgId)}/events-stream`;
    this.apiKey = deps.apiKey ?? { current: () => config.apiKey, reread: () => false };
  }

  get path(): string {
    return new URL(this.url).pathname;
  }

  async fetchPage(query: OrgPageQuery, signal: AbortSignal, opts: { limit?: number; retryDeadlineMs?: number } = {}): Promise<OrgEventPage> {
    const limit = opts.limit ?? this.config.pageSize;
    const params = new URLSearchParams({ limit: String(limit) });
    if ('cursor' in query) params.set('cursor', query.cursor);
    else {
      params.set('from', String(query.fromMs));
      params.set('to', String(query.toMs));
      params.set('sortOrder', 'asc');
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const page = await this.request(params, signal, opts.retryDeadlineMs);
        this.worked = true;
        return page;
      } catch (err) {
        // A rotated ${file:…} key takes effect without a restart: read the file again, once, before giving up.
        if (attempt > 0 || !(err instanceof HttpStatusError) || err.status !== 401 || !this.apiKey.reread()) throw err;
        this.deps.logger.warn('API key refused (401); its secret file has a new value: retrying with it', { event: 'credential.reread', source: this.config.name, credential: ORG_API_KEY_LABEL });
      }
    }
  }

  private request(params: URLSearchParams, signal: AbortSignal, retryDeadlineMs: number | undefined): Promise<OrgEventPage> {
    const headers = { authorization: `Bearer ${this.apiKey.current()}`, accept: 'application/json' };
    return requestJson(
      { method: 'GET', url: `${this.url}?${params}`, headers, timeoutMs: this.config.requestTimeout, signal },
      {
        source: this.config.name,
        limiters: this.limiters(),
        retryDeadlineMs: retryDeadlineMs ?? this.config.retryDeadline,
        logger: this.deps.logger,
        ...(this.deps.clock ? { clock: this.deps.clock } : {}),
        ...(this.deps.backoff ? { backoff: this.deps.backoff } : {}),
        ...(this.deps.recorder ? { recorder: this.deps.recorder } : {}),
        explainStatus: (status, apiCode) => (status === 401 && this.worked ? revokedHint() : explainStatus(status, apiCode)),
        parse: parsePage,
        accept: (json) => {
          const page = orgEventPageSchema.safeParse(json);
          return page.success ? page.data : undefined;
        },
      },
    );
  }

  private limiters() {
    if (this.config.requestsPerMinute === 0) return [];
    const tag = credentialTag(this.apiKey.current());
    return [
      this.deps.limiters.get(`${tag} GET ${this.path}`, this.config.requestsPerMinute),
      this.deps.limiters.get(`${tag} admin-api`, PER_CREDENTIAL_PER_MINUTE),
    ];
  }
}

/** Four times the API's largest page: a body with more events is parsed whole, as before. */
const MAX_SPLIT_EVENTS = 2_000;

/**
 * The page with each event left as its JSON text (JsonText), parsed one at a time by whoever
 * reads it (page-event.ts); a body the split does not expect is parsed whole, as before.
 */
function parsePage(body: Buffer): unknown {
  const split = splitArrayMember(body, 'data', MAX_SPLIT_EVENTS);
  return split === undefined ? JSON.parse(body.toString('utf8')) : { ...split.envelope, data: split.elements };
}

function revokedHint(): string {
  return `the ${ORG_API_KEY_LABEL} worked before and is now refused: it may have expired or been revoked. Create a new key and rotate it (README: ${ROTATION_README})`;
}

function explainStatus(status: number, apiCode: string | undefined): string | undefined {
  if (status === 401) return 'the API key (apiKey) was refused: check that it is current, not revoked, and has the read:events:admin scope';
  if (status === 403) return 'the API key may not read this organization\'s audit log: check orgId and that the key was created in that organization';
  if (status === 404) return 'no such organization: check orgId';
  if (status === 400 && apiCode === 'ADMIN-400-1') return 'the page cursor is no longer valid';
  return undefined;
}
