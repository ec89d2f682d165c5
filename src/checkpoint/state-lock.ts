import { hostname } from 'node:os';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StateDirectoryError } from '../errors/state-directory-error.js';
import type { Logger } from '../log/logger.js';
import { removeStaleTempFiles } from './stale-temp-files.js';

export const LOCK_FILE = 'receiver.lock';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface StateLock {
  readonly file: string;
  /** Removes the lock if it is still ours. Idempotent. */
  release(): Promise<void>;
}

/**
 * The start-up step of `run`, `once` and `demo` (not `check`, which writes nothing): proves the
 * state directory writable, takes its exclusive lock, and removes temp files a killed process
 * left. Two receivers on one directory would each deliver every record; the second one stops
 * here naming the holder's PID. A lock whose process is gone (kill -9, a crash) is taken over.
 */
export async function lockStateDirectory(directory: string, logger: Logger, lockName: string = LOCK_FILE): Promise<StateLock> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw unwritable(directory, err);
  }
  const file = join(directory, lockName);
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      await createExclusive(file, text);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(directory, err);
    }
    const seen = await readFile(file, 'utf8').catch(() => '');
    const holder = parseHolder(seen);
    if (holder && isAlive(holder)) {
      throw new StateDirectoryError(
        'STATE_DIR_LOCKED',
        `state directory ${directory} is in use by another receiver (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}); ` +
          `run one process per state directory. If no receiver is running, delete ${file}`,
        directory,
      );
    }
    if (attempt > 0) throw new StateDirectoryError('STATE_DIR_LOCKED', `state directory ${directory}: could not take over the stale lock ${file}`, directory);
    // Stale: remove it only if it is still the one we read (another process may just have taken it over).
    if ((await readFile(file, 'utf8').catch(() => '')) === seen) await unlink(file).catch(() => undefined);
    logger.warn('took over a stale state directory lock', { event: 'state.lock_taken_over', file, previousPid: holder?.pid });
  }
  await removeStaleTempFiles(directory, logger);
  let released = false;
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      if ((await readFile(file, 'utf8').catch(() => '')) === text) await unlink(file).catch(() => undefined);
    },
  };
}

/** Writes the lock with O_EXCL and fsyncs it: the write is also the writability probe. */
async function createExclusive(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(file).catch(() => undefined);
    throw err;
  }
  await handle.close();
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0
      ? { pid: h.pid, host: String(h.host ?? ''), startedAt: String(h.startedAt ?? 'unknown') }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Another host's PID cannot be checked: assumed alive. Our own PID in the file is a lock from
 * an earlier life of this PID (a restarted container is PID 1 again), so it is stale.
 */
function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unwritable(directory: string, err: unknown): StateDirectoryError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new StateDirectoryError('STATE_DIR_UNWRITABLE', `state directory ${directory} is not writable (${code}); fix its permissions or free space, or set state.directory`, directory, { cause: err });
}
