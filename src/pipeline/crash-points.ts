/**
 * Deterministic crash injection for the kill -9 tests: `AAR_CRASH_AT=after-export:3` makes
 * the process SIGKILL itself the 3rd time it passes that point. Unset (always, in
 * production) it costs one comparison. A real SIGKILL, not an exception, so nothing
 * (finally blocks, flushes) can tidy up: exactly what a crashed pod looks like.
 */
export type CrashPoint = 'after-fetch' | 'after-export' | 'during-checkpoint-write' | 'after-commit';

const spec = parse(process.env.AAR_CRASH_AT);
let passes = 0;

function parse(value: string | undefined): { point: string; n: number } | undefined {
  if (!value) return undefined;
  const [point, n] = value.split(':');
  return point ? { point, n: Number(n ?? 1) || 1 } : undefined;
}

export function crashPoint(point: CrashPoint): void {
  if (spec === undefined || spec.point !== point) return;
  passes += 1;
  if (passes === spec.n) process.kill(process.pid, 'SIGKILL');
}
