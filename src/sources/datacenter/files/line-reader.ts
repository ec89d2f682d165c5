/**
 * Reads complete lines from an open file, from a byte offset, in bounded memory: at most
 * `maxLines` lines per call, each kept up to `maxLineBytes` (the rest of a longer line is
 * skipped and the line flagged). A trailing fragment without its newline is left where it is:
 * the node is still writing it, and the next read picks it up whole.
 */
import type { FileHandle } from 'node:fs/promises';

export interface Line {
  readonly text: string;
  /** Byte offset just past this line's newline: where to resume once it is delivered. */
  readonly end: number;
  /** The line was longer than maxLineBytes; `text` holds its start. */
  readonly truncated: boolean;
}

const CHUNK = 64 * 1024;

export async function readLines(handle: FileHandle, offset: number, maxLines: number, maxLineBytes: number): Promise<Line[]> {
  const lines: Line[] = [];
  const chunk = Buffer.allocUnsafe(CHUNK);
  let parts: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  let position = offset;
  while (lines.length < maxLines) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
    if (bytesRead === 0) break;
    let start = 0;
    for (let nl = chunk.indexOf(10, 0); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(10, start)) {
      const room = maxLineBytes - kept;
      if (nl - start > room) truncated = true;
      parts.push(Buffer.from(chunk.subarray(start, start + Math.min(nl - start, Math.max(0, room)))));
      const text = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
      if (text.trim() !== '' || truncated) lines.push({ text, end: position + nl + 1, truncated });
      parts = [];
      kept = 0;
      truncated = false;
      start = nl + 1;
      if (lines.length >= maxLines) return lines;
    }
    const rest = bytesRead - start;
    const room = maxLineBytes - kept;
    if (rest > room) truncated = true;
    const take = Math.min(rest, Math.max(0, room));
    if (take > 0) parts.push(Buffer.from(chunk.subarray(start, start + take)));
    kept += take;
    position += bytesRead;
  }
  return lines;
}
