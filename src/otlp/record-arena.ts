/**
 * Holds encoded records back to back in shared 64 KB blocks, so a request can send a page's
 * records as a few slices of those blocks (LogsRequestEncoder.encodeParts) instead of copying
 * them into one request buffer. Bytes once handed out are never written again: a full block
 * is left behind for the garbage collector, which frees it once no record points into it.
 * Small blocks keep what one live record can pin low when many sources share an encoder.
 */
const BLOCK_BYTES = 64 * 1024;

export class RecordArena {
  private block = Buffer.allocUnsafe(0);
  private used = 0;

  /** A copy of `bytes` in the current block (a new one when it does not fit). */
  copy(bytes: Uint8Array): Buffer {
    if (this.used + bytes.length > this.block.length) {
      this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, bytes.length));
      this.used = 0;
    }
    const start = this.used;
    this.block.set(bytes, start);
    this.used += bytes.length;
    return this.block.subarray(start, this.used);
  }
}

/**
 * Slices that are adjacent in memory merged into one: records prepared one after another sit
 * back to back in an arena block, and a request then needs one part per block, not per record.
 */
export function coalesce(parts: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let first: Uint8Array | undefined;
  let length = 0;
  const flush = (): void => {
    if (first === undefined) return;
    out.push(length === first.length ? first : new Uint8Array(first.buffer, first.byteOffset, length));
  };
  for (const part of parts) {
    if (part.length === 0) continue;
    if (first !== undefined && part.buffer === first.buffer && first.byteOffset + length === part.byteOffset) {
      length += part.length;
      continue;
    }
    flush();
    first = part;
    length = part.length;
  }
  flush();
  return out;
}
