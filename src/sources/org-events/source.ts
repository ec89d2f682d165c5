import { CheckpointCorruptError } from '../../errors/checkpoint-corrupt-error.js';
import { HttpStatusError } from '../../errors/http-status-error.js';
import { ReceiverError } from '../../errors/receiver-error.js';
import type { BackoffPolicy } from '../../http/backoff.js';
import type { Clock, RateLimiterRegistry } from '../../http/rate-limiter.js';
import type { Logger } from '../../log/logger.js';
import type { ApiRecorder } from '../../telemetry/recorder.js';
import { CHECK_RETRY_DEADLINE_MS, type CheckResult, type CheckpointState, type PollContext, type Source, type SourcePage } from '../../pipeline/source.js';
import { orgCheckpointSchema, type OrgCheckpoint } from './checkpoint.js';
import { OrgEventsClient, type OrgPageQuery } from './client.js';
import type { OrgEventsConfig } from './config.js';
import type { RereadableSecret } from '../../config/secret-files.js';
import { OrgWalk } from './walk.js';
import type { OrgEventPage } from './schema.js';
import { ORG_RETENTION, replayOrgWindow } from './replay.js';
import type { Replayable, ReplayWindow, RetentionLimit } from '../../pipeline/replay.js';

export interface OrgEventsSourceDeps {
  readonly limiters: RateLimiterRegistry;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Retry pacing for transient API failures; tests shorten it. */
  readonly backoff?: BackoffPolicy;
  /** Where a corrupt checkpoint lives, for the error message. */
  readonly checkpointFile: string;
  /** Counts API answers and retries (self-metrics); optional. */
  readonly recorder?: ApiRecorder;
  /** The key, when it came from `${file:…}`: read again after a 401. */
  readonly apiKey?: RereadableSecret;
}

/**
 * Walks `events-stream` in processedAt order: a fresh walk asks for [fromMs, now] and
 * follows `meta.next`; a restart mid-walk resumes from the stored cursor; a rejected cursor
 * (400 ADMIN-400-1) falls back to a fresh walk from `fromMs`, deduplicating the boundary.
 */
export class OrgEventsSource implements Source, Replayable {
  readonly type = 'org-events';
  readonly name: string;
  readonly pollIntervalMs: number;
  private readonly client: OrgEventsClient;

  constructor(
    private readonly config: OrgEventsConfig,
    private readonly deps: OrgEventsSourceDeps,
  ) {
    this.name = config.name;
    this.pollIntervalMs = config.pollInterval;
    this.client = new OrgEventsClient(config, deps);
  }

  async *pages(checkpoint: CheckpointState | undefined, ctx: PollContext): AsyncIterable<SourcePage> {
    const now = this.now();
    const walk = new OrgWalk(this.decode(checkpoint, now), now, {
      orgId: this.config.orgId,
      sourceName: this.name,
      path: this.client.path,
      now: () => this.now(),
      fetch: (query, state, walkTo, c, storedCursor) => this.fetch(query, state, walkTo, c, storedCursor),
    });
    // `yield await`, no local: the page must not stay reachable from here once handed over (walk.ts).
    while (!walk.done) yield await walk.next(ctx);
    if (walk.failure) throw walk.failure;
  }

  /** `replay`: the window again by event time; the live checkpoint is not involved. */
  replay(window: ReplayWindow, ctx: PollContext): AsyncIterable<SourcePage> {
    return replayOrgWindow(window, { client: this.client, orgId: this.config.orgId, sourceName: this.name, now: () => this.now() }, ctx);
  }

  async retention(): Promise<RetentionLimit> {
    return ORG_RETENTION;
  }

  private async fetch(query: OrgPageQuery, state: OrgCheckpoint, walkTo: number, ctx: PollContext, storedCursor: boolean): Promise<OrgEventPage> {
    try {
      return await this.client.fetchPage(query, ctx.signal);
    } catch (err) {
      // Only a cursor stored by an earlier process may have expired; one minted in this walk failing is a real error.
      if (!storedCursor || !(err instanceof HttpStatusError) || err.status !== 400) throw err;
      // Cursors expire; the processedAt bound and boundary ids make a fresh walk lossless.
      ctx.logger.warn('stored cursor was rejected; resuming from the last processedAt instead', { event: 'checkpoint.cursor_rejected', apiCode: err.apiCode, fromMs: state.fromMs });
      return this.client.fetchPage({ fromMs: state.fromMs, toMs: walkTo }, ctx.signal);
    }
  }

  private decode(checkpoint: CheckpointState | undefined, now: number): OrgCheckpoint {
    if (checkpoint === undefined) return { v: 1, fromMs: Math.max(0, now - this.config.initialLookback), boundaryIds: [] };
    const parsed = orgCheckpointSchema.safeParse(checkpoint);
    if (!parsed.success) throw new CheckpointCorruptError(this.name, this.deps.checkpointFile, 'it does not have the org-events checkpoint shape');
    return parsed.data;
  }

  private now(): number {
    return this.deps.clock?.now() ?? Date.now();
  }

  async check(signal: AbortSignal): Promise<CheckResult> {
    const now = this.now();
    try {
      const page = await this.client.fetchPage({ fromMs: now - 3_600_000, toMs: now }, signal, { limit: 1, retryDeadlineMs: CHECK_RETRY_DEADLINE_MS });
      return { ok: true, detail: `authenticated; GET ${this.client.path} answered 200 (${page.data.length === 0 ? 'no events' : 'events'} in the last hour)` };
    } catch (err) {
      return { ok: false, detail: err instanceof ReceiverError ? err.describe() : String(err) };
    }
  }
}
