import type { Clock } from '../../http/rate-limiter.js';
import type { AuditLogRecord } from '../../pipeline/audit-log-record.js';
import type { PollContext, SourcePage } from '../../pipeline/source.js';
import { WindowOverflowError } from '../../errors/window-overflow-error.js';
import { pruneSent, type WindowCheckpoint } from './window-checkpoint.js';

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

const DEFAULT_MAX_SENT_KEYS = 20_000;

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
  const maxSent = opts.maxSentKeys ?? DEFAULT_MAX_SENT_KEYS;
  const sent = new Map(start.sent);
  let from = start.from;
  let span = to - from;
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
    const fresh = ascending(items, from, hi).filter((i) => !sent.has(i.key));
    const chunks = chunk(fresh, opts.pageSize);
    let state = start;
    for (let c = 0; c < chunks.length; c++) {
      const part = chunks[c]!;
      for (const item of part) sent.set(item.key, item.t);
      const lastOfRange = c === chunks.length - 1;
      if (lastOfRange && hi >= to) {
        // Window done: the next one starts `overlap` earlier, to catch records indexed late.
        const next = Math.max(0, to - opts.overlapMs);
        state = { v: 1, api: opts.api, from: next, sent: pruneSent(sent, next, maxSent) };
      } else {
        // Mid-window: everything before `progress` is delivered; the rest of its millisecond may not be.
        const progress = lastOfRange ? hi + 1 : part[part.length - 1]!.t;
        state = { v: 1, api: opts.api, from: progress, to, sent: pruneSent(sent, Math.min(progress, to - opts.overlapMs), maxSent) };
      }
      const observedMs = opts.clock.now();
      yield {
        records: part.map((item) => api.toRecord(item, observedMs)),
        checkpoint: state,
        note: `${iso(from)}..${iso(hi)} part ${c + 1}/${chunks.length}`,
      };
    }
    if (hi >= to) return state;
    from = hi + 1;
    // Grow back only while ranges come out sparse, so a dense stretch is not re-fetched in vain.
    span = items.length < maxRecords / 2 ? Math.max(1, span * 2) : Math.max(1, span);
  }
}

type Timed = WindowItem & { readonly t: number };

/**
 * Oldest first. Times are clamped into the queried range: the range is what the checkpoint
 * reasons about, and a record outside it (or without a readable time) must not move it.
 */
function ascending(items: readonly WindowItem[], from: number, hi: number): Timed[] {
  const timed = items.map((item) => ({ ...item, t: Math.min(hi, Math.max(from, item.timeMs ?? hi)) }));
  // The API lists newest first; reversed, ties keep the API's own order (stable sort).
  return timed.reverse().sort((a, b) => a.t - b.t);
}

/** Always at least one (possibly empty) chunk, so every range commits its progress. */
function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A replay: walks exactly [fromMs, toMs] once, oldest first, in the same pages as a poll, with
 * no overlap and nothing before or after. The checkpoints it yields describe only this walk.
 */
export async function* walkRange(fromMs: number, toMs: number, api: WindowedApi, opts: WalkOptions, ctx: PollContext): AsyncGenerator<SourcePage> {
  if (toMs < fromMs) return;
  yield* walkWindow({ v: 1, api: opts.api, from: fromMs, to: toMs, sent: [] }, toMs, api, opts, ctx);
}
