import type { PollContext } from '../../pipeline/source.js';
import type { WindowItem } from '../windowed/window-walker.js';
import type { ConfluenceAuditClient } from './client.js';
import { copyKey, numberCopies } from '../record-fingerprint.js';
import { confluenceCreatedMs, confluenceFingerprint } from './fingerprint.js';

/**
 * Reads one closed window by `start` offset until a short page, then numbers identical
 * copies. Without ids, a record re-read because offsets shifted looks exactly like a second
 * genuine copy. Only records whose millisecond spans two pages can be affected, so each such
 * millisecond is read again on its own ([ms, ms], one page) and that answer is taken as its
 * true content. Within a single page the API's answer is consistent and trusted as is.
 */
export async function collectConfluenceWindow(client: ConfluenceAuditClient, fromMs: number, toMs: number, cap: number, ctx: PollContext): Promise<WindowItem[] | undefined> {
  const pages = await readPages(client, fromMs, toMs, cap, ctx);
  if (pages === undefined) return undefined;
  const records = pages.length > 1 && fromMs < toMs ? await resolveSplitMillis(client, pages, cap, ctx) : pages.flat();
  return records === undefined ? undefined : keyed(records);
}

async function readPages(client: ConfluenceAuditClient, fromMs: number, toMs: number, cap: number, ctx: PollContext): Promise<unknown[][] | undefined> {
  const pages: unknown[][] = [];
  let count = 0;
  let previous: string | undefined;
  for (let start = 0; ; ) {
    const page = await client.fetchPage({ fromMs, toMs, start }, ctx.signal);
    const results = [...page.results];
    pages.push(results);
    count += results.length;
    if (count > cap) return undefined;
    if (results.length === 0 || results.length < page.limit) return pages;
    // The same full page twice: the server ignores `start`, and paging would never end.
    const signature = results.map(confluenceFingerprint).join(',');
    if (signature === previous) throw client.formatError(`start=${start} returned the previous page again: the API is not honouring start/limit paging`);
    previous = signature;
    start += results.length;
  }
}

async function resolveSplitMillis(client: ConfluenceAuditClient, pages: readonly unknown[][], cap: number, ctx: PollContext): Promise<unknown[] | undefined> {
  const pagesPerMs = new Map<number, Set<number>>();
  pages.forEach((page, index) => {
    for (const raw of page) {
      const ms = confluenceCreatedMs(raw);
      if (ms === undefined) continue;
      const seen = pagesPerMs.get(ms) ?? new Set<number>();
      seen.add(index);
      pagesPerMs.set(ms, seen);
    }
  });
  const split = new Set([...pagesPerMs].filter(([, seen]) => seen.size > 1).map(([ms]) => ms));
  const kept = pages.flat().filter((raw) => {
    const ms = confluenceCreatedMs(raw);
    return ms === undefined || !split.has(ms);
  });
  for (const ms of split) {
    // Bounded like the window itself: too many in one millisecond makes the caller split or stop.
    const exact = await readPages(client, ms, ms, cap, ctx);
    if (exact === undefined) return undefined;
    kept.push(...exact.flat().filter((raw) => confluenceCreatedMs(raw) === ms));
  }
  return kept;
}

/** Key = fingerprint + '#' + copy number: identical records in one millisecond are all delivered. */
function keyed(records: readonly unknown[]): WindowItem[] {
  return numberCopies(records, confluenceFingerprint).map(({ fingerprint, occurrence, item }) => ({
    key: copyKey(fingerprint, occurrence),
    timeMs: confluenceCreatedMs(item),
    raw: item,
  }));
}
