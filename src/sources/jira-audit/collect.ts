import type { PollContext } from '../../pipeline/source.js';
import type { JiraAuditClient } from './client.js';
import { jiraCreatedMs, jiraRecordId } from './map.js';
import { contentHash } from '../record-helpers.js';
import type { WindowItem } from '../windowed/window-walker.js';

/**
 * Reads one closed window by offset until a short page. Offsets can shift while paging (a
 * record indexed late inside the window pushes older ones to higher offsets), which only ever
 * re-reads a record: the id drops it. `total` is never consulted.
 */
export async function collectJiraWindow(client: JiraAuditClient, fromMs: number, toMs: number, cap: number, ctx: PollContext): Promise<WindowItem[] | undefined> {
  const byKey = new Map<string, WindowItem>();
  let offset = 0;
  for (;;) {
    const page = await client.fetchPage({ fromMs, toMs, offset }, ctx.signal);
    let added = 0;
    for (const raw of page.records) {
      const key = jiraRecordId(raw) ?? `sha256:${contentHash(raw)}`;
      if (byKey.has(key)) continue;
      byKey.set(key, { key, timeMs: jiraCreatedMs(raw), raw });
      added++;
    }
    if (byKey.size > cap) return undefined;
    if (page.records.length === 0 || page.records.length < page.limit) return [...byKey.values()];
    // A full page of nothing new: the server ignores offset, and paging would never end.
    if (added === 0) throw client.formatError(`offset ${offset} returned only records already read: the API is not honouring offset paging`);
    offset += page.records.length;
  }
}
