import type { Clock } from '../../http/rate-limiter.js';
import type { AuditLogRecord } from '../../pipeline/audit-log-record.js';
import type { PollContext, SourcePage } from '../../pipeline/source.js';
import { WindowOverflowError } from '../../errors/window-overflow-error.js';
import type { WindowCheckpoint } from './window-checkpoint.js';
import { deliverRange, type WindowProgress } from './window-delivery.js';

/** One record of a window, as read: `key` identifies it for deduplication. */
export interface WindowItem {
  readonly key: string;
  /** Creation time; undefined when the record's own time is unreadable. */
  readonly timeMs: number | undefined;
  readonly raw: unknown;
}

/** What a newest-first, time-filtered audit API must offer the walker. */
export interface WindowedApi {
  /**
   * Every record created in [fromMs, toMs] (both inclusive), newest first, each once; or
   * undefined as soon as more than `cap` distinct records were seen (the caller shrinks the window).
   */
  collect(fromMs: number, toMs: number, cap: number, ctx: PollContext): Promise<WindowItem[] | undefined>;
  toRecord(item: WindowItem, observedMs: number): AuditLogRecord;
  /**
   * Optional, for an API that can prove which records of a window are its oldest (Jira, from
   * `total` and offsets): walks [fromMs, toMs] oldest part first, in chunks of bounded size,
   * without reading the window whole first. It returns `overflow` when it learnt the window
   * holds more than `cap` records but could not walk it this way, `stopped` when it cannot go
   * on (the walker resumes after the last chunk); the walker then goes on with collect().
   */
  walkOldest?(fromMs: number, toMs: number, cap: number, ctx: PollContext): AsyncGenerator<WindowChunk, 'overflow' | 'stopped' | 'complete'>;
}

/** A piece of an oldest-first walk: newest first within itself, like collect()'s answer. */
export interface WindowChunk {
  readonly items: readonly WindowItem[];
  /** Every record created before this time is in this chunk or an earlier one (some at it may follow). */
  readonly throughMs: number;
  /** The last chunk: with the earlier ones, every record of the window. */
  readonly complete: boolean;
}

export interface WalkOptions {
  /** Tags the checkpoint with the source type. */
  readonly api: string;
  /** Records per delivered page; also the API page size. */
  readonly pageSize: number;
  readonly settleMs: number;
  readonly overlapMs: number;
  readonly initialLookbackMs: number;
  readonly clock: Clock;
  /** A window holding more records than this is halved: memory stays bounded. Default 10 × pageSize. */
  readonly maxWindowRecords?: number;
  /** Cap on the keys the checkpoint remembers. */
  readonly maxSentKeys?: number;
  /**
   * Hard cap on one millisecond, which cannot be halved: past it the poll fails
   * (WindowOverflowError) instead of holding without bound. Default 5 × maxWindowRecords.
   */
  readonly maxMillisecondRecords?: number;
  /** The source and API path, for the overflow error. */
  readonly source?: string;
  readonly path?: string;
}

/**
 * Walks closed windows oldest first and yields ascending pages (algorithm: jira-audit/source.ts).
 * Finishes a window a restart left half done, then one fresh window ending `settleMs` ago.
 */
export async function* walkWindows(stored: WindowCheckpoint | undefined, api: WindowedApi, opts: WalkOptions, ctx: PollContext): AsyncGenerator<SourcePage> {
  const now = opts.clock.now();
  const settledEnd = now - opts.settleMs;
  let state: WindowCheckpoint = stored ?? { v: 1, api: opts.api, from: Math.max(0, now - opts.initialLookbackMs), sent: [] };
  let persisted = stored !== undefined;
  for (;;) {
    const resumed = state.to !== undefined;
    const to = state.to ?? settledEnd;
    if (to < state.from) {
      // Nothing settled yet (a lookback shorter than the settle delay): remember where to start.
      if (!persisted) yield { records: [], checkpoint: state, note: 'start recorded; nothing settled yet' };
      return;
    }
    state = yield* walkWindow(state, to, api, opts, ctx);
    persisted = true;
    if (!resumed) return;
  }
}

async function* walkWindow(start: WindowCheckpoint, to: number, api: WindowedApi, opts: WalkOptions, ctx: PollContext): AsyncGenerator<SourcePage, WindowCheckpoint> {
  const maxRecords = opts.maxWindowRecords ?? 10 * opts.pageSize;
  const p: WindowProgress = { to, sent: new Map(start.sent), state: start };
  let from = start.from;
  let span = to - from;
  if (api.walkOldest) {
    const streamed = yield* streamWindow(from, p, api, opts, ctx, maxRecords);
    if (streamed.done) return p.state;
    from = streamed.from;
    // The API said the window overflows: do not read it whole again before splitting it.
    span = streamed.overflow ? Math.floor((to - from) / 2) : to - from;
  }
  for (;;) {
    const hi = Math.min(to, from + span);
    let items = await api.collect(from, hi, maxRecords, ctx);
    if (items === undefined) {
      if (hi > from) {
        span = Math.floor((hi - from) / 2);
        ctx.logger.debug('window holds too many records; walking it in halves', { event: 'window.split', fromMs: from, toMs: hi, maxRecords });
        continue;
      }
      // A single millisecond cannot be split: hold it whole, up to the hard cap.
      const hardCap = opts.maxMillisecondRecords ?? 5 * maxRecords;
      items = await api.collect(from, hi, hardCap, ctx);
      if (items === undefined) throw new WindowOverflowError(opts.source ?? opts.api, opts.path ?? '', from, hardCap);
    }
    yield* deliverRange(items, from, hi, hi >= to ? 'window' : 'range', p, api, opts);
    if (hi >= to) return p.state;
    from = hi + 1;
    // Grow back only while ranges come out sparse, so a dense stretch is not re-fetched in vain.
    span = items.length < maxRecords / 2 ? Math.max(1, span * 2) : Math.max(1, span);
  }
}

/**
 * Walks [from, to] with the API's oldest-first walk, starting it again from where it stopped
 * while it makes progress. Returns where the walker goes on with collect() when it gave up.
 */
async function* streamWindow(start: number, p: WindowProgress, api: WindowedApi, opts: WalkOptions, ctx: PollContext, maxRecords: number): AsyncGenerator<SourcePage, { done: boolean; from: number; overflow: boolean }> {
  const hardCap = opts.maxMillisecondRecords ?? 5 * maxRecords;
  let from = start;
  for (;;) {
    const walk = api.walkOldest!(from, p.to, maxRecords, ctx);
    let progressed = false;
    for (let step = await walk.next(); ; step = await walk.next()) {
      if (step.done) {
        if (!progressed || step.value === 'overflow') return { done: false, from, overflow: step.value === 'overflow' };
        break;
      }
      const chunk = step.value;
      const through = Math.min(p.to, Math.max(from, chunk.throughMs));
      const delivered = yield* deliverRange(chunk.items, from, chunk.complete ? p.to : through, chunk.complete ? 'window' : 'partial', p, api, opts);
      if (chunk.complete) return { done: true, from, overflow: false };
      // One millisecond is never split, by this walk either: past the hard cap the poll stops.
      let atThrough = 0;
      for (const t of p.sent.values()) if (t === through) atThrough++;
      if (atThrough > hardCap) throw new WindowOverflowError(opts.source ?? opts.api, opts.path ?? '', through, hardCap);
      progressed ||= delivered > 0 || through > from;
      from = through;
    }
  }
}

/**
 * A replay: walks exactly [fromMs, toMs] once, oldest first, in the same pages as a poll, with
 * no overlap and nothing before or after. The checkpoints it yields describe only this walk.
 */
export async function* walkRange(fromMs: number, toMs: number, api: WindowedApi, opts: WalkOptions, ctx: PollContext): AsyncGenerator<SourcePage> {
  if (toMs < fromMs) return;
  yield* walkWindow({ v: 1, api: opts.api, from: fromMs, to: toMs, sent: [] }, toMs, api, opts, ctx);
}
