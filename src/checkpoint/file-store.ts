import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crashPoint } from '../pipeline/crash-points.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { CheckpointCorruptError } from '../errors/checkpoint-corrupt-error.js';
import { CheckpointWriteError } from '../errors/checkpoint-write-error.js';
import { sleep } from '../http/backoff.js';
import { ReceiverError } from '../errors/receiver-error.js';
import type { CheckpointState } from '../pipeline/source.js';
import type { CheckpointStore } from './store.js';

/** Pauses between the attempts of one checkpoint write (a full disk may free up, a volume remount). */
const WRITE_RETRY_DELAYS_MS = [250, 1_000];

/**
 * One small JSON file per source: `<dir>/<name>.checkpoint.json`, replaced atomically
 * (util/atomic-file.ts), so a crash at any point leaves the old or the new file.
 *
 * A write that keeps failing is held as pending and reported as CheckpointWriteError; until it
 * succeeds, `get` retries it and fails again, so the source fetches and delivers nothing more
 * (otherwise every poll would deliver the same uncommitted page again).
 */
export class FileCheckpointStore implements CheckpointStore {
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<string, CheckpointState>();

  constructor(
    readonly directory: string,
    private readonly retryDelaysMs: readonly number[] = WRITE_RETRY_DELAYS_MS,
  ) {}

  locate(key: string): string {
    return join(this.directory, `${key}.checkpoint.json`);
  }

  async get(key: string): Promise<CheckpointState | undefined> {
    const unwritten = this.pending.get(key);
    if (unwritten !== undefined) {
      await this.set(key, unwritten);
      return unwritten;
    }
    const file = this.locate(key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new CheckpointCorruptError(key, file, `cannot read it (${code ?? 'error'})`, { cause: err });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new CheckpointCorruptError(key, file, 'it is not valid JSON', { cause: err });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CheckpointCorruptError(key, file, 'it is not a JSON object');
    }
    return value as CheckpointState;
  }

  async set(key: string, value: CheckpointState, opts: { readonly durable?: boolean } = {}): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureDirectory();
        await writeFileAtomic(this.locate(key), `${JSON.stringify(value)}
`, { halfWritten: () => crashPoint('during-checkpoint-write'), sync: opts.durable ?? true });
        this.pending.delete(key);
        return;
      } catch (err) {
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined) {
          this.pending.set(key, value);
          const code = (err as NodeJS.ErrnoException).code ?? (err instanceof ReceiverError ? err.code : 'error');
          throw new CheckpointWriteError(key, this.locate(key), code, { cause: err });
        }
        await sleep(delay);
      }
    }
  }

  async delete(key: string): Promise<void> {
    this.pending.delete(key);
    await rm(this.locate(key), { force: true });
  }

  private ensureDirectory(): Promise<void> {
    this.ready ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (err: NodeJS.ErrnoException) => {
        this.ready = undefined;
        throw new ReceiverError('STATE_DIR_UNWRITABLE', `cannot create state directory (${err.code ?? 'error'})`, { file: this.directory }, { cause: err });
      },
    );
    return this.ready;
  }
}
