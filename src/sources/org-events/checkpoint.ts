import * as z from '../../util/zod.js';

/**
 * Where the org source resumes.
 * - `cursor`: set only in the middle of a walk, so a restart continues exactly there.
 * - `fromMs`: lower bound (processedAt, inclusive) of the next fresh walk: the newest
 *   processedAt delivered so far, or the initial lookback when nothing was seen yet.
 * - `boundaryIds`: ids already delivered whose processedAt equals `fromMs`; the API's
 *   `from` is inclusive, so they come back and must be dropped.
 */
export const orgCheckpointSchema = z.object({
  v: z.literal(1),
  cursor: z.string().optional(),
  fromMs: z.number().int().nonnegative(),
  boundaryIds: z.array(z.string()),
});

export type OrgCheckpoint = z.infer<typeof orgCheckpointSchema>;

/** Advances the checkpoint over a page of events that were all delivered. */
export function advance(state: OrgCheckpoint, events: readonly { id: string; processedAtMs: number | undefined }[], cursor: string | undefined): OrgCheckpoint {
  let fromMs = state.fromMs;
  let boundary = new Set(state.boundaryIds);
  for (const e of events) {
    if (e.processedAtMs === undefined || e.processedAtMs < fromMs) continue;
    if (e.processedAtMs > fromMs) {
      fromMs = e.processedAtMs;
      boundary = new Set();
    }
    boundary.add(e.id);
  }
  return cursor === undefined ? { v: 1, fromMs, boundaryIds: [...boundary] } : { v: 1, cursor, fromMs, boundaryIds: [...boundary] };
}
