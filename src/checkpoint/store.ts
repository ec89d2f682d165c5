import type { CheckpointState } from '../pipeline/source.js';

/** Tiny key/value store for per-source checkpoints (key = source name). */
export interface CheckpointStore {
  /** Undefined when nothing was stored; throws CheckpointCorruptError when unreadable. */
  get(key: string): Promise<CheckpointState | undefined>;
  /**
   * Atomic: after a crash the old or the new value is there, never a torn one. `durable:
   * false` skips the fsyncs: a killed process still leaves the new value, a machine crash
   * may leave the previous one (the pipeline syncs at least once a second and at cycle end).
   */
  set(key: string, value: CheckpointState, opts?: { readonly durable?: boolean }): Promise<void>;
  delete(key: string): Promise<void>;
  /** Where a key lives, for error messages. */
  locate(key: string): string;
}
