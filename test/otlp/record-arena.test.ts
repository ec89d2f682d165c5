// The arena writes a block anew only once every record in it was released and the block is
// full: a record still waiting to be sent (or sent again) keeps its bytes.
import { describe, expect, it } from 'vitest';
import { RecordArena } from '../../src/otlp/record-arena.js';

const KB = 1024;
const record = (size: number, fill: number): Buffer => Buffer.alloc(size, fill);

describe('RecordArena reuse', () => {
  it('a full block whose records were all released is reused; its bytes are then the new records', () => {
    const arena = new RecordArena();
    const first = Array.from({ length: 16 }, (_, i) => arena.copy(record(4 * KB, i + 1)));
    expect(new Set(first.map((s) => s.buffer)).size).toBe(1);
    for (const slice of first) arena.release(slice);
    // Still the current block: nothing to reuse until it is full.
    expect(arena.spareBlocks).toBe(0);
    const next = arena.copy(record(4 * KB, 99));
    expect(next.buffer).not.toBe(first[0]!.buffer);
    expect(arena.spareBlocks).toBe(1);
    // Fill the second block; the third comes from the spare one.
    for (let i = 0; i < 15; i++) arena.copy(record(4 * KB, 50));
    const reused = arena.copy(record(4 * KB, 77));
    expect(reused.buffer).toBe(first[0]!.buffer);
    expect(arena.spareBlocks).toBe(0);
    expect(first[0]!.every((b) => b === 77)).toBe(true);
  });

  it('one record not released keeps its whole block, and every byte handed out, unchanged', () => {
    const arena = new RecordArena();
    const kept: [Buffer, number][] = [];
    for (let round = 0; round < 20; round++) {
      const slices = Array.from({ length: 40 }, (_, i) => arena.copy(record(1_000 + ((round * 40 + i) % 3_000), (round * 40 + i) % 251)));
      // Every page but one record of it is released: that record pins its block.
      const pinned = round * 7 % slices.length;
      slices.forEach((s, i) => (i === pinned ? kept.push([s, (round * 40 + i) % 251]) : arena.release(s)));
    }
    for (const [slice, fill] of kept) expect(slice.every((b) => b === fill)).toBe(true);
  });

  it('releasing more often than a block holds records, or a slice from elsewhere, frees nothing early', () => {
    const arena = new RecordArena();
    const a = arena.copy(record(40 * KB, 1));
    const b = arena.copy(record(20 * KB, 2));
    arena.release(Buffer.alloc(10));
    arena.release(a);
    arena.release(a);
    arena.release(a);
    arena.copy(record(40 * KB, 3)); // does not fit: the block with `b` is retired, not reused
    expect(arena.spareBlocks).toBe(0);
    expect(b.every((x) => x === 2)).toBe(true);
  });

  it('a record larger than a block gets its own memory, which is never kept for reuse', () => {
    const arena = new RecordArena();
    const big = arena.copy(record(200 * KB, 5));
    expect(big.length).toBe(200 * KB);
    arena.copy(record(1 * KB, 6));
    arena.release(big);
    expect(arena.spareBlocks).toBe(0);
  });

  it('keeps at most 32 spare blocks', () => {
    const arena = new RecordArena();
    const slices = Array.from({ length: 100 }, () => arena.copy(record(64 * KB, 8)));
    for (const s of slices) arena.release(s);
    expect(arena.spareBlocks).toBe(32);
  });
});
