import type { SourcePage } from '../../pipeline/source.js';
import { pruneSent, type WindowCheckpoint } from './window-checkpoint.js';
import type { WalkOptions, WindowedApi, WindowItem } from './window-walker.js';

/** The walk of one window as it goes: where it is, and the keys delivered that a re-read may return. */
export interface WindowProgress {
  readonly to: number;
  readonly sent: Map<string, number>;
  state: WindowCheckpoint;
}

/**
 * How a delivered range ends: `window` (every record through the window's end), `range` (every
 * record through `hi`; the window goes on at hi + 1) or `partial` (every record before `hi`
 * and some at `hi`; the window goes on at `hi`, and the keys delivered at `hi` are remembered).
 */
export type RangeEnd = 'window' | 'range' | 'partial';

/** Delivers one range's records oldest first, in pages of pageSize, each with its checkpoint. */
export async function* deliverRange(items: readonly WindowItem[], from: number, hi: number, end: RangeEnd, p: WindowProgress, api: WindowedApi, opts: WalkOptions): AsyncGenerator<SourcePage, number> {
  const maxSent = opts.maxSentKeys ?? DEFAULT_MAX_SENT_KEYS;
  const fresh = ascending(items, from, hi).filter((i) => !p.sent.has(i.key));
  const chunks = chunk(fresh, opts.pageSize);
  for (let c = 0; c < chunks.length; c++) {
    const part = chunks[c]!;
    for (const item of part) p.sent.set(item.key, item.t);
    const lastOfRange = c === chunks.length - 1;
    if (lastOfRange && end === 'window') {
      // Window done: the next one starts `overlap` earlier, to catch records indexed late.
      const next = Math.max(0, p.to - opts.overlapMs);
      p.state = { v: 1, api: opts.api, from: next, sent: pruneSent(p.sent, next, maxSent) };
    } else {
      // Mid-window: everything before `progress` is delivered; the rest of its millisecond may not be.
      const progress = lastOfRange ? (end === 'range' ? hi + 1 : hi) : part[part.length - 1]!.t;
      p.state = { v: 1, api: opts.api, from: progress, to: p.to, sent: pruneSent(p.sent, Math.min(progress, p.to - opts.overlapMs), maxSent) };
    }
    const observedMs = opts.clock.now();
    yield {
      records: part.map((item) => api.toRecord(item, observedMs)),
      checkpoint: p.state,
      note: `${iso(from)}..${iso(hi)} part ${c + 1}/${chunks.length}`,
    };
  }
  return fresh.length;
}

export const DEFAULT_MAX_SENT_KEYS = 20_000;

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
