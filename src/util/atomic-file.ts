import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces `file` with `text` so that a crash at any moment leaves the old or the new
 * content, never a torn file: write a private temp file, fsync it, rename it over the old
 * one, then fsync the directory so the rename itself is durable. The directory must exist.
 * `halfWritten` runs with half the bytes on disk (the crash tests kill the process there).
 * `sync: false` skips both fsyncs: still atomic for a killed process (the kernel has the
 * bytes), not durable across a machine crash; the caller syncs a later write.
 */
export async function writeFileAtomic(file: string, text: string, opts: { mode?: number; halfWritten?: () => void; sync?: boolean } = {}): Promise<void> {
  const sync = opts.sync ?? true;
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', opts.mode ?? 0o600);
  try {
    await writeAndSync();
  } catch (err) {
    // A failed write (ENOSPC, EIO) must not leave its temp file to fill the disk further.
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  if (sync) await syncDirectory(dirname(file));

  async function writeAndSync(): Promise<void> {
    if (opts.halfWritten) {
      await handle.writeFile(text.slice(0, text.length >> 1), 'utf8');
      opts.halfWritten();
      await handle.writeFile(text.slice(text.length >> 1), 'utf8');
    } else {
      await handle.writeFile(text, 'utf8');
    }
    if (sync) await handle.sync();
  }
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EINVAL where a directory cannot be fsynced: the rename is still atomic.
  }
}
