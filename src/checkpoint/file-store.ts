import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crashPoint } from '../pipeline/crash-points.js';
import { CheckpointCorruptError } from '../errors/checkpoint-corrupt-error.js';
import { ReceiverError } from '../errors/receiver-error.js';
import type { CheckpointState } from '../pipeline/source.js';
import type { CheckpointStore } from './store.js';

/**
 * One small JSON file per source: `<dir>/<name>.checkpoint.json`.
 * Writes go to a temp file that is fsynced, renamed over the old one, and the directory
 * fsynced, so a crash at any point leaves the old or the new file, never a torn one.
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

  async set(key: string, value: CheckpointState): Promise<void> {
    await this.ensureDirectory();
    const file = this.locate(key);
    const temp = `${file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      const text = `${JSON.stringify(value)}\n`;
      // Half written, then killed: the rename below never happens, the old file stays.
      await handle.writeFile(text.slice(0, text.length >> 1), 'utf8');
      crashPoint('during-checkpoint-write');
      await handle.writeFile(text.slice(text.length >> 1), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await this.syncDirectory();
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

  /** Makes the rename itself durable; some filesystems refuse to fsync a directory, which is harmless. */
  private async syncDirectory(): Promise<void> {
    try {
      const dir = await open(this.directory, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch {
      // EISDIR/EINVAL on platforms without directory fsync: the rename is still atomic.
    }
  }
}
