/**
 * Which file is this? Device + inode follow a file through renames; a hash of its first bytes
 * tells a new file that reuses a deleted file's inode from the old one.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** Enough to tell two audit files apart: the first line alone holds a timestamp and a node. */
export const HEAD_BYTES = 512;

export interface OpenedFile {
  readonly key: string;
  readonly size: number;
}

export async function identify(handle: FileHandle): Promise<OpenedFile> {
  const s = await handle.stat({ bigint: true });
  return { key: `${s.dev}:${s.ino}`, size: Number(s.size) };
}

export async function headHash(handle: FileHandle, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, 0);
  return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex');
}
