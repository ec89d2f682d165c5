import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A secret, certificate or token file is small; anything larger is a wrong path (or /dev/zero). */
export const MAX_REFERENCED_FILE_BYTES = 64 * 1024;

/**
 * The text of a `${file:…}` reference (one trailing newline dropped, as mounted secrets end
 * with one), or why it cannot be used. Only a regular file of at most 64 KiB is read, checked on
 * the open descriptor so what is read is what was checked: devices, FIFOs and directories never
 * are (a FIFO would block; /dev/zero never ends). The reason never quotes the content.
 */
export function readReferencedFile(file: string): { readonly text: string } | { readonly problem: string } {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { problem: `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  }
  const tooLarge = { problem: `it is larger than ${MAX_REFERENCED_FILE_BYTES / 1024} KiB` };
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: 'it is not a regular file' };
    if (stat.size > MAX_REFERENCED_FILE_BYTES) return tooLarge;
    const buffer = Buffer.alloc(MAX_REFERENCED_FILE_BYTES + 1);
    let size = 0;
    for (let n; size < buffer.length && (n = readSync(fd, buffer, size, buffer.length - size, null)) > 0; ) size += n;
    if (size > MAX_REFERENCED_FILE_BYTES) return tooLarge;
    return { text: buffer.subarray(0, size).toString('utf8').replace(/\r?\n$/, '') };
  } catch (err) {
    return { problem: `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  } finally {
    closeSync(fd);
  }
}
