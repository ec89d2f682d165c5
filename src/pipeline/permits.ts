/**
 * A counting semaphore that serves waiters strictly first come, first served. Shared by
 * every source of a process it is the fairness mechanism: a source takes one permit per
 * step and queues again behind the others, so a backfilling source gets a turn like any
 * other and can never starve them. Idle sources hold no permit and cost nothing.
 */
export class Permits {
  private free: number;
  private readonly waiters: { grant: () => void; refuse: (err: unknown) => void }[] = [];
  private inUse = 0;
  private peak = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`permits: size must be a whole number ≥ 1, got ${size}`);
    this.free = size;
  }

  /** Resolves when a permit is this caller's; rejects with the signal's reason if aborted first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.free > 0 && this.waiters.length === 0) {
      this.take();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        refuse: reject,
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Takes a permit only if one is free and nobody is queued for it (read-ahead must not jump the queue). */
  tryAcquire(): boolean {
    if (this.free === 0 || this.waiters.length > 0) return false;
    this.take();
    return true;
  }

  release(): void {
    this.inUse--;
    const next = this.waiters.shift();
    if (next) {
      this.inUse++;
      next.grant();
    } else {
      this.free++;
    }
  }

  /** The most permits ever held at once (self-checks and the bench). */
  get highWater(): number {
    return this.peak;
  }

  private take(): void {
    this.free--;
    this.inUse++;
    this.peak = Math.max(this.peak, this.inUse);
  }
}
