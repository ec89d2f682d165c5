/**
 * The keyset-cursor page step of a window walk, beside the offset step Confluence uses
 * (confluence-audit/collect.ts). A cursor names the last record returned ("timestamp,id"), so
 * records written while a walk is paging cannot shift later pages the way they shift offsets.
 */

export interface CursorPage<Ref> {
  /** Newest first, as these APIs list them. */
  readonly items: readonly unknown[];
  readonly lastPage: boolean;
  readonly next: Ref | undefined;
}

export interface CursorWalk<Ref> {
  fetch(next: Ref | undefined): Promise<CursorPage<Ref>>;
  /** Record time in ms, or undefined when unreadable (such records are kept). */
  timeOf(item: unknown): number | undefined;
  /** A stable text for a ref, to notice a server that hands out the same page forever. */
  describe(ref: Ref): string;
  /** The error to throw when paging cannot continue. */
  fail(message: string): Error;
}

/**
 * Every record in [fromMs, toMs] (newest first), or undefined once more than `cap` were seen.
 * Records outside the window are dropped (a server link may not repeat the bounds), and a
 * record older than `fromMs` ends the walk: the rest of the list is older still.
 */
export async function readCursorPages<Ref>(fromMs: number, toMs: number, cap: number, walk: CursorWalk<Ref>): Promise<unknown[] | undefined> {
  const out: unknown[] = [];
  const seen = new Set<string>();
  let next: Ref | undefined;
  for (;;) {
    const page = await walk.fetch(next);
    let passedWindow = false;
    for (const item of page.items) {
      const t = walk.timeOf(item);
      if (t !== undefined && t < fromMs) passedWindow = true;
      else if (t === undefined || t <= toMs) out.push(item);
    }
    if (out.length > cap) return undefined;
    if (page.lastPage || passedWindow || page.items.length === 0) return out;
    if (page.next === undefined) throw walk.fail('a page that is not the last one has neither nextPageCursor nor nextPageLink');
    const key = walk.describe(page.next);
    if (seen.has(key)) throw walk.fail(`the API returned the cursor ${key} twice: paging would never end`);
    seen.add(key);
    next = page.next;
  }
}
