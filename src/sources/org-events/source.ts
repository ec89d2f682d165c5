import { CheckpointCorruptError } from '../../errors/checkpoint-corrupt-error.js';
import { HttpStatusError } from '../../errors/http-status-error.js';
import { PagingLoopError } from '../../errors/paging-loop-error.js';
import { ReceiverError } from '../../errors/receiver-error.js';
import type { BackoffPolicy } from '../../http/backoff.js';
import type { Clock, RateLimiterRegistry } from '../../http/rate-limiter.js';
import type { Logger } from '../../log/logger.js';
import type { ApiRecorder } from '../../telemetry/recorder.js';
import { CHECK_RETRY_DEADLINE_MS, type CheckResult, type CheckpointState, type PollContext, type Source, type SourcePage } from '../../pipeline/source.js';
import { advance, orgCheckpointSchema, type OrgCheckpoint } from './checkpoint.js';
import { OrgEventsClient, type OrgPageQuery } from './client.js';
import type { OrgEventsConfig } from './config.js';
import type { RereadableSecret } from '../../config/secret-files.js';
import { mapOrgEvent } from './map.js';
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
    let state = this.decode(checkpoint, now);
    const walkTo = now;
    const resumed: OrgPageQuery | undefined = state.cursor ? { cursor: state.cursor } : undefined;
    let query: OrgPageQuery = resumed ?? { fromMs: state.fromMs, toMs: walkTo };
    const progress = new WalkProgress(resumed?.cursor);
    for (;;) {
      const page = await this.fetch(query, state, walkTo, ctx, query === resumed);
      const observedMs = this.now();
      const boundary = new Set(state.boundaryIds);
      const records = [];
      const seen = [];
      for (const raw of page.data) {
        const record = mapOrgEvent(raw, { orgId: this.config.orgId, sourceName: this.name, observedMs });
        const id = eventId(raw);
        const processedAtMs = processedAt(raw);
        if (id !== undefined) seen.push({ id, processedAtMs });
        // Inclusive `from` re-reads the boundary events that were delivered last time.
        if (id !== undefined && processedAtMs === state.fromMs && boundary.has(id)) continue;
        records.push(record);
      }
      const next = page.meta?.next ?? undefined;
      const last = page.data.length === 0 || !next;
      const loop = progress.check(seen.map((s) => s.id), last ? undefined : next);
      if (loop) {
        // Commit no looping cursor: the next poll walks afresh from the last processedAt, which
        // the boundary ids make lossless. This page is not delivered; that walk reads it again.
        if (state.cursor !== undefined) yield { records: [], checkpoint: { v: 1, fromMs: state.fromMs, boundaryIds: state.boundaryIds }, note: 'looping cursor dropped' };
        throw new PagingLoopError(`${loop}; the poll stops and the next one starts a fresh walk from processedAt ${new Date(state.fromMs).toISOString()}`, { source: this.name, path: this.client.path });
      }
      state = advance(state, seen, last ? undefined : next);
      yield { records, checkpoint: state, note: last ? 'caught up' : 'more pages' };
      if (last) return;
      query = { cursor: next };
    }
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

function eventId(raw: unknown): string | undefined {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function processedAt(raw: unknown): number | undefined {
  const value = (raw as { attributes?: { processedAt?: unknown } } | null)?.attributes?.processedAt;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Ids remembered per walk to spot a page of repeats; a larger walk starts a new memory (bounded). */
const MAX_WALK_IDS = 200_000;

/**
 * Spots paging that would never end: a `meta.next` already followed in this walk (a cycle), or
 * a page with more to come whose events were all read earlier in the same walk (no progress).
 */
class WalkProgress {
  private readonly cursors = new Set<string>();
  private ids = new Set<string>();

  constructor(resumedFrom: string | undefined) {
    if (resumedFrom !== undefined) this.cursors.add(resumedFrom);
  }

  /** Undefined when the walk moves on; else why it does not. */
  check(pageIds: readonly string[], next: string | undefined): string | undefined {
    if (next !== undefined && this.cursors.has(next)) return 'the API returned a page cursor (meta.next) already followed in this walk';
    const fresh = pageIds.filter((id) => !this.ids.has(id));
    if (next !== undefined && pageIds.length > 0 && fresh.length === 0) return 'the API returned a page of events already read in this walk, with more pages to come';
    if (next !== undefined) this.cursors.add(next);
    if (this.ids.size + fresh.length > MAX_WALK_IDS) this.ids = new Set();
    for (const id of fresh) this.ids.add(id);
    return undefined;
  }
}
