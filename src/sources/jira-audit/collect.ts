import type { PollContext } from '../../pipeline/source.js';
import type { JiraAuditClient, JiraRecordsPage } from './client.js';
import { jiraCreatedMs, jiraRecordId } from './map.js';
import { contentHash } from '../record-helpers.js';
import type { WindowItem } from '../windowed/window-walker.js';

/** A record as the walker sees it: keyed by its id (or, without one, by its content). */
export function jiraItem(raw: unknown): WindowItem {
  return { key: jiraRecordId(raw) ?? `sha256:${contentHash(raw)}`, timeMs: jiraCreatedMs(raw), raw };
}

/**
 * Reads one closed window by offset until a short page. Offsets can shift while paging (a
 * record indexed late inside the window pushes older ones to higher offsets), which only ever
 * re-reads a record: the id drops it. `total` is never consulted here. `first`: the page at
 * offset 0, when the caller already has it.
 */
export async function collectJiraWindow(client: JiraAuditClient, fromMs: number, toMs: number, cap: number, ctx: PollContext, first?: JiraRecordsPage): Promise<WindowItem[] | undefined> {
  const byKey = new Map<string, WindowItem>();
  let offset = 0;
  for (let page = first; ; page = undefined) {
    page ??= await client.fetchPage({ fromMs, toMs, offset }, ctx.signal);
    let added = 0;
    for (const raw of page.records) {
      const item = jiraItem(raw);
      if (byKey.has(item.key)) continue;
      byKey.set(item.key, item);
      added++;
    }
    if (byKey.size > cap) return undefined;
    if (page.records.length === 0 || page.records.length < page.limit) return [...byKey.values()];
    // A full page of nothing new: the server ignores offset, and paging would never end.
    if (added === 0) throw client.formatError(`offset ${offset} returned only records already read: the API is not honouring offset paging`);
    offset += page.records.length;
  }
}
