import { PagingLoopError } from '../../errors/paging-loop-error.js';
import type { PollContext, SourcePage } from '../../pipeline/source.js';
import { advance, type OrgCheckpoint } from './checkpoint.js';
import type { OrgPageQuery } from './client.js';
import { mapOrgEvent } from './map.js';
import { pageEvent } from './page-event.js';
import { WalkProgress } from './walk-progress.js';
import type { OrgEventPage } from './schema.js';

export interface OrgWalkDeps {
  readonly orgId: string;
  readonly sourceName: string;
  readonly path: string;
  readonly now: () => number;
  /** One page; `storedCursor` when the query is a cursor stored by an earlier process (it may have expired). */
  readonly fetch: (query: OrgPageQuery, state: OrgCheckpoint, walkTo: number, ctx: PollContext, storedCursor: boolean) => Promise<OrgEventPage>;
}

/**
 * One walk of `events-stream` from a checkpoint to the `now` it started at, a page per
 * `next()`. It keeps only the cursor state between pages, never a page: the source's
 * generator yields `await walk.next()` directly, so a source waiting its turn in the shared
 * page budget holds nothing of the page it handed over (V8 keeps a suspended generator's
 * locals reachable, and 200 waiting sources would each keep one).
 */
export class OrgWalk {
  /** Caught up: no page after the last one returned. */
  done = false;
  /** Set with the last page (a checkpoint-only one): the walk stops with this error once it is committed. */
  failure: Error | undefined;
  private state: OrgCheckpoint;
  private query: OrgPageQuery;
  private readonly resumed: OrgPageQuery | undefined;
  private readonly walkTo: number;
  private readonly progress: WalkProgress;

  /** `walkTo`: the `now` the walk reads up to (a fresh walk's `to`). */
  constructor(start: OrgCheckpoint, walkTo: number, private readonly deps: OrgWalkDeps) {
    this.state = start;
    this.walkTo = walkTo;
    this.resumed = start.cursor ? { cursor: start.cursor } : undefined;
    this.query = this.resumed ?? { fromMs: start.fromMs, toMs: this.walkTo };
    this.progress = new WalkProgress(this.resumed?.cursor);
  }

  async next(ctx: PollContext): Promise<SourcePage> {
    const state = this.state;
    const page = await this.deps.fetch(this.query, state, this.walkTo, ctx, this.query === this.resumed);
    const observedMs = this.deps.now();
    const boundary = new Set(state.boundaryIds);
    const prepare = ctx.prepare;
    const records = [];
    const seen = [];
    // One event at a time, parsed, mapped and prepared before the next is parsed (PollContext.prepare).
    for (let i = 0; i < page.data.length; i++) {
      const raw = pageEvent(page.data, i, this.deps);
      const id = eventId(raw);
      const processedAtMs = processedAt(raw);
      if (id !== undefined) seen.push({ id, processedAtMs });
      // Inclusive `from` re-reads the boundary events that were delivered last time.
      if (id !== undefined && processedAtMs === state.fromMs && boundary.has(id)) continue;
      const record = mapOrgEvent(raw, { orgId: this.deps.orgId, sourceName: this.deps.sourceName, observedMs });
      records.push(prepare ? prepare(record) : record);
    }
    const next = page.meta?.next ?? undefined;
    const last = page.data.length === 0 || !next;
    const loop = this.progress.check(seen.map((s) => s.id), last ? undefined : next);
    if (loop) {
      // Commit no looping cursor: the next poll walks afresh from the last processedAt, which
      // the boundary ids make lossless. This page is not delivered; that walk reads it again.
      const failure = new PagingLoopError(`${loop}; the poll stops and the next one starts a fresh walk from processedAt ${new Date(state.fromMs).toISOString()}`, { source: this.deps.sourceName, path: this.deps.path });
      if (state.cursor === undefined) throw failure;
      this.failure = failure;
      this.done = true;
      return { records: [], checkpoint: { v: 1, fromMs: state.fromMs, boundaryIds: state.boundaryIds }, note: 'looping cursor dropped' };
    }
    this.state = advance(state, seen, last ? undefined : next);
    this.done = last;
    if (!last) this.query = { cursor: next };
    return { records, checkpoint: this.state, note: last ? 'caught up' : 'more pages', prepared: prepare !== undefined };
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
