import type { CheckpointState } from '../pipeline/source.js';
import type { CheckpointStore } from './store.js';

/**
 * A store that lives only as long as the process: a replay runs the ordinary poll cycle with
 * it, so it can never read or move a live checkpoint file (and needs no lock on them).
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly values = new Map<string, CheckpointState>();

  constructor(private readonly label = 'memory') {}

  async get(key: string): Promise<CheckpointState | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: CheckpointState): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  locate(key: string): string {
    return `(${this.label}) ${key}`;
  }
}
