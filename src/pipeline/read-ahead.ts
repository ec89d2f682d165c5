import type { Permits } from './permits.js';
import type { SourcePage } from './source.js';

type Item = { readonly page: SourcePage } | { readonly error: unknown } | { readonly done: true };

/**
 * Fetches a source's pages ahead of their delivery: while page N is being exported the next
 * `ahead` pages are fetched and mapped, so the API, the mapping and the collector work at
 * the same time instead of taking turns. Pages come out strictly in order. A page counts
 * against the bound from its fetch until `release()` (its checkpoint was committed or the
 * cycle gave up on it), so a stalled collector stops fetching after `ahead` pages.
 *
 * `budget`, when given, is shared by every source of the process and bounds the pages held
 * in memory overall: a source's first page waits its turn in it (first come, first served),
 * read-ahead only takes a permit nobody is waiting for.
 */
export class ReadAhead {
  private readonly queue: Item[] = [];
  private held = 0;
  private released = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly producer: Promise<void>;

  constructor(
    private readonly pages: AsyncIterator<SourcePage>,
    private readonly opts: { readonly ahead: number; readonly budget?: Permits | undefined; readonly signal: AbortSignal },
  ) {
    this.producer = this.produce();
  }

  /** The next page in order, or undefined once the source is caught up. Throws the source's error in its place. */
  async next(): Promise<SourcePage | undefined> {
    while (this.queue.length === 0) await this.changed();
    const item = this.queue.shift()!;
    this.notify();
    if ('error' in item) throw item.error;
    if ('done' in item) return undefined;
    return item.page;
  }

  /** The consumer is done with one page it took: it no longer counts against the bounds. */
  release(): void {
    this.held--;
    this.released++;
    this.opts.budget?.release();
    this.notify();
  }

  /** Stops fetching (the caller aborts `signal` first to cut a fetch short) and forgets unconsumed pages. */
  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    await this.producer;
    for (const item of this.queue.splice(0)) if ('page' in item) this.release();
  }

  private async produce(): Promise<void> {
    try {
      for (;;) {
        while (!this.closed && this.held >= 1 + this.ahead()) await this.changed();
        if (this.closed || !(await this.admit())) break;
        this.held++;
        if (!(await this.fetchOne())) return;
      }
      // Stopped while waiting for a place: the consumer sees why, as it would a cut-short fetch.
      if (!this.closed) this.push({ error: this.opts.signal.reason ?? new Error('fetching stopped') });
      // The generator sits at a `yield`: let it run its finally blocks.
      await this.pages.return?.();
    } catch (err) {
      this.push({ error: err });
    }
  }

  /**
   * Fetches one admitted page into the queue; false once the source is done or failed. A
   * function of its own so that nothing of the page outlives it: a local of the loop in
   * produce() would keep the last page reachable (V8 keeps a suspended async function's
   * registers) while this source waits its turn in the budget, one page per waiting source.
   */
  private async fetchOne(): Promise<boolean> {
    let result: IteratorResult<SourcePage>;
    try {
      result = await this.pages.next();
    } catch (err) {
      this.unadmit();
      this.push({ error: err });
      return false;
    }
    if (result.done) {
      this.unadmit();
      this.push({ done: true });
      return false;
    }
    this.push({ page: result.value });
    return true;
  }

  /**
   * Read-ahead starts once the cycle's first page was delivered and committed: a collector
   * that is down from the start (a sidecar still starting) costs one fetched page, and a
   * cycle's first request is made alone, as a single-page poll needs nothing more.
   */
  private ahead(): number {
    return Math.min(this.opts.ahead, this.released);
  }

  /** Takes a place in the shared budget: waiting in line for the first page, opportunistic after. */
  private async admit(): Promise<boolean> {
    const budget = this.opts.budget;
    if (!budget) return true;
    for (;;) {
      if (this.closed) return false;
      if (this.held > 0) {
        if (budget.tryAcquire()) return true;
        await this.changed();
        continue;
      }
      try {
        await budget.acquire(this.opts.signal);
        if (!this.closed) return true;
        budget.release();
        return false;
      } catch {
        return false; // aborted while waiting in line
      }
    }
  }

  private unadmit(): void {
    this.held--;
    this.opts.budget?.release();
  }

  private push(item: Item): void {
    this.queue.push(item);
    this.notify();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
