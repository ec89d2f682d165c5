import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';

/** `<file>.<pid>.tmp`, as util/atomic-file.ts names its temp files. */
const TEMP_FILE = /\.(\d+)\.tmp$/;

/**
 * A kill during a checkpoint or token write leaves its temp file behind (the real file is
 * intact: the rename never happened). Removed at start-up, unless the PID in its name is a
 * live process (`replay` may be writing beside us without the lock).
 */
export async function removeStaleTempFiles(directory: string, logger: Logger): Promise<void> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    try {
      await unlink(join(directory, name));
      logger.info('removed a temp file left by an interrupted write', { event: 'state.stale_temp_removed', file: join(directory, name) });
    } catch {
      // Gone already, or not ours to remove: harmless either way.
    }
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
