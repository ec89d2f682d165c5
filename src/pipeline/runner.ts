import { sleep } from '../http/backoff.js';
import { ReceiverError } from '../errors/receiver-error.js';
import { runPollCycle, type CycleDeps, type CycleSummary } from './poll-cycle.js';
import type { Source } from './source.js';

export type SourceOutcome = (
  | { readonly source: string; readonly ok: true; readonly summary: CycleSummary }
  | { readonly source: string; readonly ok: false; readonly error: string; readonly code: string }
) & {
  /** When the cycle started and ended (epoch ms): readiness and checkpoint lag are measured from these. */
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
};

/**
 * Catches every source up once, side by side; one failing source never stops the others.
 * The caller prints each outcome (`once`'s summary lines), so a failure is logged only at
 * debug here: printed once, not twice.
 */
export async function runOnce(sources: readonly Source[], deps: CycleDeps, onCycle?: (outcome: SourceOutcome) => void): Promise<SourceOutcome[]> {
  return Promise.all(
    sources.map(async (source) => {
      const outcome = await cycleOutcome(source, deps, 'debug');
      onCycle?.(outcome);
      return outcome;
    }),
  );
}

/**
 * Polls each source on its own schedule until `deps.stop` aborts. A failed cycle is logged
 * and retried at the next interval; its checkpoint stayed where the last acknowledged page left it.
 */
export async function runForever(sources: readonly Source[], deps: CycleDeps, onCycle?: (outcome: SourceOutcome) => void): Promise<void> {
  // An empty shard idles until stopped: a replica that exits would be restarted in a loop.
  if (sources.length === 0) while (!deps.stop.aborted) await sleep(3_600_000, deps.stop);
  await Promise.all(
    sources.map(async (source) => {
      while (!deps.stop.aborted) {
        const outcome = await cycleOutcome(source, deps);
        onCycle?.(outcome);
        await sleep(source.pollIntervalMs, deps.stop);
      }
    }),
  );
}

async function cycleOutcome(source: Source, deps: CycleDeps, failureLevel: 'error' | 'debug' = 'error'): Promise<SourceOutcome> {
  const logger = deps.logger.child({ source: source.name });
  const started = Date.now();
  try {
    const summary = await runPollCycle(source, deps);
    const finished = Date.now();
    const { source: _source, ...counts } = summary; // the child logger already says `source`
    logger.info('poll finished', { event: 'poll.finished', ...counts, ...eventRange(summary), durationMs: finished - started });
    return { source: source.name, ok: true, summary, startedAtMs: started, finishedAtMs: finished };
  } catch (err) {
    const finished = Date.now();
    const error = err instanceof ReceiverError ? err.describe() : err instanceof Error ? err.message : String(err);
    const code = err instanceof ReceiverError ? err.code : 'UNEXPECTED';
    logger[failureLevel]('poll failed', { event: 'poll.failed', code, error, durationMs: finished - started });
    return { source: source.name, ok: false, error, code, startedAtMs: started, finishedAtMs: finished };
  }
}

/** The event-time range a cycle delivered, readable: `eventsFrom`/`eventsTo` (ISO 8601), absent when it delivered nothing. */
function eventRange(s: CycleSummary): { eventsFrom?: string; eventsTo?: string } {
  if (s.lastEventTimeMs === undefined) return {};
  return { eventsFrom: new Date(s.firstEventTimeMs ?? s.lastEventTimeMs).toISOString(), eventsTo: new Date(s.lastEventTimeMs).toISOString() };
}
