/**
 * Ids remembered per walk to spot a page of repeats: the last 10,000 to 20,000 read (two
 * generations, about 2 MB; 20 to 40 pages of 500). A looping API sends the same page again.
 * Remembering up to 200,000 ids, as before, held 16.6 MB of heap during a long backfill.
 */
const WALK_IDS_PER_GENERATION = 10_000;

/**
 * Spots paging that would never end: a `meta.next` already followed in this walk (a cycle), or
 * a page with more to come whose events were all read recently in the same walk (no progress).
 */
export class WalkProgress {
  private readonly cursors = new Set<string>();
  private ids = new Set<string>();
  private olderIds = new Set<string>();

  constructor(resumedFrom: string | undefined) {
    if (resumedFrom !== undefined) this.cursors.add(resumedFrom);
  }

  /** Undefined when the walk moves on; else why it does not. */
  check(pageIds: readonly string[], next: string | undefined): string | undefined {
    if (next !== undefined && this.cursors.has(next)) return 'the API returned a page cursor (meta.next) already followed in this walk';
    const fresh = pageIds.filter((id) => !this.ids.has(id) && !this.olderIds.has(id));
    if (next !== undefined && pageIds.length > 0 && fresh.length === 0) return 'the API returned a page of events already read in this walk, with more pages to come';
    if (next !== undefined) this.cursors.add(next);
    for (const id of fresh) {
      if (this.ids.size >= WALK_IDS_PER_GENERATION) {
        this.olderIds = this.ids;
        this.ids = new Set();
      }
      this.ids.add(id);
    }
    return undefined;
  }
}
