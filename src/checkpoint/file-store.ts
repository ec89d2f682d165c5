import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crashPoint } from '../pipeline/crash-points.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { CheckpointCorruptError } from '../errors/checkpoint-corrupt-error.js';
import { ReceiverError } from '../errors/receiver-error.js';
import type { CheckpointState } from '../pipeline/source.js';
import type { CheckpointStore } from './store.js';

/**
 * One small JSON file per source: `<dir>/<name>.checkpoint.json`, replaced atomically
 * (util/atomic-file.ts), so a crash at any point leaves the old or the new file.
 */
export class FileCheckpointStore implements CheckpointStore {
  private ready: Promise<void> | undefined;

  constructor(readonly directory: string) {}

  locate(key: string): string {
    return join(this.directory, `${key}.checkpoint.json`);
  }

  async get(key: string): Promise<CheckpointState | undefined> {
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
    await this.ensureDirectory();
    await writeFileAtomic(this.locate(key), `${JSON.stringify(value)}\n`, { halfWritten: () => crashPoint('during-checkpoint-write'), sync: opts.durable ?? true });
  }

  async delete(key: string): Promise<void> {
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
