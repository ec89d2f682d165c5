import * as z from '../../../util/zod.js';
import { CheckpointCorruptError } from '../../../errors/checkpoint-corrupt-error.js';

/**
 * Where the file source resumes, per file (key `dev:ino`, so a renamed file keeps its place):
 * - `offset`: bytes delivered and acknowledged (always at a line start);
 * - `head` / `headLen`: sha256 of the file's first `headLen` bytes, so a deleted file whose
 *   inode is reused by a new one is noticed and the new file read from 0;
 * - `ms` / `copies`: the last delivered millisecond and how many copies of each fingerprint
 *   it held, so identical events keep their copy numbers across batches and restarts;
 * - `recent`: the last RECENT_KEYS delivered keys of the file (see source.ts, truncation).
 */
export const fileStateSchema = z.object({
  path: z.string(),
  offset: z.number().int().nonnegative(),
  head: z.string(),
  headLen: z.number().int().nonnegative(),
  ms: z.number().int().optional(),
  copies: z.array(z.tuple([z.string(), z.number().int().positive()])).default([]),
  /** Keys (`fingerprint#n`) of the last events delivered from the file, to drop them if a truncated file replays them. */
  recent: z.array(z.string()).default([]),
});

export const fileCheckpointSchema = z.object({
  v: z.literal(1),
  api: z.literal('datacenter-audit-file'),
  files: z.record(z.string(), fileStateSchema),
});

export type FileState = z.output<typeof fileStateSchema>;
export type FileCheckpoint = z.output<typeof fileCheckpointSchema>;

export function decodeFileCheckpoint(raw: unknown, source: string, file: string): FileCheckpoint {
  if (raw === undefined) return { v: 1, api: 'datacenter-audit-file', files: {} };
  const parsed = fileCheckpointSchema.safeParse(raw);
  if (!parsed.success) throw new CheckpointCorruptError(source, file, 'it does not have the datacenter-audit-file checkpoint shape');
  return parsed.data;
}
