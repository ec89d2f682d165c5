/**
 * Uids delivered during this process's lifetime, so no record is emitted twice by one
 * process even if an API repeats it (boundary re-reads, late pages). Bounded: the oldest
 * uids are forgotten first, which only matters for repeats far older than the window.
 */
export class SeenUids {
  private readonly uids = new Set<string>();

  // 20,000 uids is 40 org pages or 20 Jira pages: far more than any boundary re-read spans
  // (the checkpoints dedupe the rest), at ~2 MB instead of the ~28 MB that 200,000 cost.
  constructor(private readonly capacity = 20_000) {}

  has(uid: string): boolean {
    return this.uids.has(uid);
  }

  addAll(uids: Iterable<string>): void {
    for (const uid of uids) {
      this.uids.delete(uid);
      this.uids.add(uid);
    }
    // Sets iterate in insertion order, so the first entries are the oldest.
    if (this.uids.size > this.capacity) {
      let excess = this.uids.size - this.capacity;
      for (const uid of this.uids) {
        if (excess-- <= 0) break;
        this.uids.delete(uid);
      }
    }
  }

  get size(): number {
    return this.uids.size;
  }
}
