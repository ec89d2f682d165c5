import { createHash } from 'node:crypto';

/** `INDEX/COUNT`: this process runs the sources whose name hashes to INDEX of COUNT shards. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

const SHAPE = /^(\d{1,4})\/(\d{1,4})$/;

/** Parses `INDEX/COUNT` (0 ≤ INDEX < COUNT ≤ 1000); returns the problem as a sentence otherwise. */
export function parseShard(text: string): Shard | string {
  const m = SHAPE.exec(text.trim());
  if (!m) return `must be INDEX/COUNT, e.g. 0/3 (got "${text.slice(0, 20)}")`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 1000) return 'COUNT must be from 1 to 1000';
  if (index >= count) return `INDEX must be from 0 to ${count - 1} for ${count} shards`;
  return { index, count };
}

/**
 * The shard a source belongs to: the first 4 bytes of SHA-256 of its name, modulo COUNT.
 * It depends only on the name and the count (not on order, the host or Node's version),
 * so every replica of a StatefulSet agrees on it, with no overlap and no gap.
 */
export function shardOf(name: string, count: number): number {
  return createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0) % count;
}

export function inShard(name: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOf(name, shard.count) === shard.index;
}
