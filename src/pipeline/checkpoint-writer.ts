import type { CheckpointStore } from '../checkpoint/store.js';
import type { CheckpointState } from './source.js';

/**
 * Group commit for one source's checkpoint. Every acknowledged page's checkpoint is written
 * at once (an atomic replace: a killed process leaves it on disk), but made durable with
 * fsync at most once per `syncEveryMs` while a backlog drains, and always at the end of the
 * cycle. The fsync is what took 16-22 ms a page. A machine crash (power, kernel) can lose
 * the writes of the last unsynced interval: those pages are re-sent after restart, never lost.
 */
export class CheckpointWriter {
  private lastSyncMs: number;
  private unsynced: CheckpointState | undefined;

  constructor(
    private readonly store: CheckpointStore,
    private readonly key: string,
    private readonly syncEveryMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSyncMs = now();
  }

  async write(state: CheckpointState): Promise<void> {
    const due = this.now() - this.lastSyncMs >= this.syncEveryMs;
    try {
      await this.store.set(this.key, state, { durable: due });
    } catch (err) {
      // The store holds the failed (newer) state to write first (FileCheckpointStore); an older
      // unsynced one must not be written after it at finish().
      this.unsynced = undefined;
      throw err;
    }
    if (due) {
      this.lastSyncMs = this.now();
      this.unsynced = undefined;
    } else {
      this.unsynced = state;
    }
  }

  /** The cycle ended (caught up, failed or stopped): make the last write durable. */
  async finish(): Promise<void> {
    const state = this.unsynced;
    if (state === undefined) return;
    this.unsynced = undefined;
    await this.store.set(this.key, state, { durable: true });
    this.lastSyncMs = this.now();
  }
}
