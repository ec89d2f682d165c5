import type { PollContext } from '../../pipeline/source.js';
import { readCursorPages } from '../windowed/cursor-pages.js';
import type { WindowItem } from '../windowed/window-walker.js';
import { copyKey, numberCopies } from '../record-fingerprint.js';
import type { DcAuditClient, DcPageRef } from './client.js';
import { dcEventTimeMs, dcFingerprint } from './identity.js';

/**
 * Reads one closed window by keyset cursor until the last page, then numbers identical copies
 * (two genuinely identical events in one millisecond are both delivered, each once). Within one
 * walk the cursor keeps the list stable, so a copy number always means the same event.
 */
export async function collectDcWindow(client: DcAuditClient, fromMs: number, toMs: number, cap: number, ctx: PollContext): Promise<WindowItem[] | undefined> {
  const entities = await readCursorPages<DcPageRef>(fromMs, toMs, cap, {
    fetch: async (next) => {
      const page = await client.fetchPage({ fromMs, toMs, ...(next ? { next } : {}) }, ctx.signal);
      return { items: page.entities, lastPage: page.lastPage, next: page.next };
    },
    timeOf: dcEventTimeMs,
    describe: (ref) => ref.cursor ?? ref.link ?? '',
    fail: (message) => client.formatError(message),
  });
  if (entities === undefined) return undefined;
  return numberCopies(entities, dcFingerprint).map(({ fingerprint, occurrence, item }) => ({
    key: copyKey(fingerprint, occurrence),
    timeMs: dcEventTimeMs(item),
    raw: item,
  }));
}
