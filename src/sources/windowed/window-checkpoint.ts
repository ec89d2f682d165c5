import * as z from '../../util/zod.js';
import { CheckpointCorruptError } from '../../errors/checkpoint-corrupt-error.js';

/**
 * Where a newest-first, time-window source resumes (see jira-audit/source.ts for the algorithm).
 * - `from`: inclusive lower bound, in epoch ms, of what remains to be read.
 * - `to`: set only while a window is being walked, so a restart finishes the same window.
 * - `sent`: [key, createdMs] of records already delivered that a later read can return again
 *   (the overlap, the current window's boundary millisecond); they are dropped when they do.
 * - `api`: which source type wrote it, so a renamed-type source never misreads another's state.
 */
export const windowCheckpointSchema = z.object({
  v: z.literal(1),
  api: z.string(),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative().optional(),
  sent: z.array(z.tuple([z.string(), z.number()])),
});

export type WindowCheckpoint = z.infer<typeof windowCheckpointSchema>;

export function decodeWindowCheckpoint(raw: unknown, api: string, source: string, file: string): WindowCheckpoint | undefined {
  if (raw === undefined) return undefined;
  const parsed = windowCheckpointSchema.safeParse(raw);
  if (!parsed.success || parsed.data.api !== api) {
    throw new CheckpointCorruptError(source, file, `it does not have the ${api} checkpoint shape`);
  }
  return parsed.data;
}

/**
 * Keeps the sent keys a later read may still return (created at or after `threshold`),
 * at most `max` of them, newest first: beyond the cap a re-read record would be delivered
 * twice (the pipeline's in-process dedup still catches it) rather than the checkpoint growing without bound.
 */
export function pruneSent(sent: Map<string, number>, threshold: number, max: number): [string, number][] {
  for (const [key, t] of sent) if (t < threshold) sent.delete(key);
  const kept = [...sent].sort((a, b) => a[1] - b[1]);
  if (kept.length > max) {
    for (const [key] of kept.splice(0, kept.length - max)) sent.delete(key);
  }
  return kept;
}
