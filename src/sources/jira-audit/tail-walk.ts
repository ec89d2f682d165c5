import type { PollContext } from '../../pipeline/source.js';
import type { WindowChunk, WindowItem } from '../windowed/window-walker.js';
import type { JiraAuditClient } from './client.js';
import { collectJiraWindow, jiraItem } from './collect.js';

/**
 * Walks one closed window oldest part first, without reading it whole (the walker's
 * `walkOldest`). The API lists newest first by offset, so the oldest records sit at the end:
 *
 * 1. Offset 0. A short page is the whole window; a window that fits in `cap`, an answer
 *    without a believable `total`, or pages under MIN_TAIL_PAGE, are read by offset from
 *    there (collect.ts).
 * 2. Otherwise the end is proven, not trusted: the page at `total − (limit − 1)` must come back
 *    not empty, and the walk reads on from there (pages overlapping by one record) until a short
 *    page, which holds the window's oldest records whatever `total` said. A `total` too high by
 *    up to limit − 1, or too low by less than `cap`, still finds the end.
 * 3. Then towards offset 0, each page overlapping the previous one by its newest record: the
 *    overlap proves no record between them was skipped (a late-indexed record shifts offsets;
 *    the overlap then moves and is found deeper in the page, and what lies beyond it is a
 *    re-read). Each page is handed to the walker as soon as it is proven.
 * 4. It ends when a page reaches the records of the offset-0 page, kept since step 1: the
 *    newest records are delivered from it, with no request of their own and no empty page.
 *
 * So a window of N records costs 1 + ⌈(N − limit) / (limit − 1)⌉ requests. Anything it cannot
 * prove (an empty or full page where the end should be, an overlap that is not there) ends the
 * walk; the walker goes on from the last proven record with collect(), which pages by offset.
 */
/**
 * Below this page size the walk is not worth it: the overlap costs 1 / (limit − 1) of every
 * page, and a `total` off by limit − 1 or more (small pages leave little slack) misses the end.
 */
export const MIN_TAIL_PAGE = 100;

export async function* walkJiraOldestFirst(client: JiraAuditClient, fromMs: number, toMs: number, cap: number, ctx: PollContext): AsyncGenerator<WindowChunk, 'overflow' | 'stopped' | 'complete'> {
  const head = await client.fetchPage({ fromMs, toMs, offset: 0 }, ctx.signal);
  const limit = head.limit;
  const total = head.total;
  if (head.records.length < limit || total === undefined || total <= cap || total < head.records.length + limit || limit < MIN_TAIL_PAGE) {
    const items = await collectJiraWindow(client, fromMs, toMs, cap, ctx, head);
    if (items === undefined) return 'overflow';
    yield { items, throughMs: toMs, complete: true };
    return 'complete';
  }
  const newest = distinct(head.records);
  const newestIndex = new Map(newest.map((item, i) => [item.key, i]));
  let offset = total - (limit - 1);
  let joinKey: string | undefined;
  let throughMs = fromMs;
  for (;;) {
    const page = await client.fetchPage({ fromMs, toMs, offset }, ctx.signal);
    let items = distinct(page.records);
    if (items.length === 0) return joinKey === undefined ? 'overflow' : 'stopped';
    if (joinKey === undefined && page.records.length >= limit) {
      // Not the end yet (`total` was low): read on until a short page, holding at most `cap`.
      const older = await readToEnd(client, fromMs, toMs, offset, limit, items, cap, ctx);
      if (older === undefined) return 'overflow';
      items = older;
    }
    const join = joinKey === undefined ? items.length : items.findIndex((item) => item.key === joinKey);
    if (join < 0) return 'stopped';
    const fresh = items.slice(0, join);
    // Reached the offset-0 page: it holds every record newer than the one they share.
    const shared = fresh.reduce((found, item, i) => (newestIndex.has(item.key) ? i : found), -1);
    if (shared >= 0) {
      const rest = newest.slice(0, newestIndex.get(fresh[shared]!.key)!);
      const seen = new Set(fresh.map((item) => item.key));
      yield { items: [...rest.filter((item) => !seen.has(item.key)), ...fresh], throughMs: toMs, complete: true };
      return 'complete';
    }
    throughMs = Math.max(throughMs, newestTime(fresh) ?? throughMs);
    yield { items: fresh, throughMs: Math.min(throughMs, toMs), complete: false };
    joinKey = items[0]!.key;
    // The next page ends on this page's newest record; it starts no earlier than the offset-0
    // page's last record, which it then reaches. No step back means the offsets moved under us.
    const next = Math.max(offset - (limit - 1), newest.length - 1);
    if (next >= offset) return 'stopped';
    offset = next;
  }
}

/**
 * From a full page at `offset` towards the end of the list, each page starting on the previous
 * one's oldest record, until a short page: newest first, or undefined past `cap` records or
 * when a page does not hold the record it should start on.
 */
async function readToEnd(client: JiraAuditClient, fromMs: number, toMs: number, offset: number, limit: number, first: WindowItem[], cap: number, ctx: PollContext): Promise<WindowItem[] | undefined> {
  const out = [...first];
  for (let at = offset, full = true; full; ) {
    at += limit - 1;
    const page = await client.fetchPage({ fromMs, toMs, offset: at }, ctx.signal);
    const items = distinct(page.records);
    const start = items.findIndex((item) => item.key === out[out.length - 1]!.key);
    if (start < 0) return undefined;
    out.push(...items.slice(start + 1));
    if (out.length > cap) return undefined;
    full = page.records.length >= limit;
  }
  return out;
}

/** A page's records once each: a record listed twice on one page is delivered once. */
function distinct(records: readonly unknown[]): WindowItem[] {
  const byKey = new Map<string, WindowItem>();
  for (const raw of records) {
    const item = jiraItem(raw);
    if (!byKey.has(item.key)) byKey.set(item.key, item);
  }
  return [...byKey.values()];
}

function newestTime(items: readonly WindowItem[]): number | undefined {
  let max: number | undefined;
  for (const item of items) if (item.timeMs !== undefined && (max === undefined || item.timeMs > max)) max = item.timeMs;
  return max;
}
