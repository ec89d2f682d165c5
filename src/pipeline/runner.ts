import { sleep } from '../http/backoff.js';
import { ReceiverError } from '../errors/receiver-error.js';
import { runPollCycle, type CycleDeps, type CycleSummary } from './poll-cycle.js';
import type { Source } from './source.js';

export type SourceOutcome =
  | { readonly source: string; readonly ok: true; readonly summary: CycleSummary }
  | { readonly source: string; readonly ok: false; readonly error: string; readonly code: string };

/** Catches every source up once, side by side; one failing source never stops the others. */
export async function runOnce(sources: readonly Source[], deps: CycleDeps): Promise<SourceOutcome[]> {
  return Promise.all(sources.map((source) => cycleOutcome(source, deps)));
}

/**
 * Polls each source on its own schedule until `deps.stop` aborts. A failed cycle is logged
 * and retried at the next interval; its checkpoint stayed where the last acknowledged page left it.
 */
export async function runForever(sources: readonly Source[], deps: CycleDeps, onCycle?: (outcome: SourceOutcome) => void): Promise<void> {
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

async function cycleOutcome(source: Source, deps: CycleDeps): Promise<SourceOutcome> {
  const logger = deps.logger.child({ source: source.name });
  const started = Date.now();
  try {
    const summary = await runPollCycle(source, deps);
    logger.info('poll finished', { ...summary, durationMs: Date.now() - started });
    return { source: source.name, ok: true, summary };
  } catch (err) {
    const error = err instanceof ReceiverError ? err.describe() : err instanceof Error ? err.message : String(err);
    const code = err instanceof ReceiverError ? err.code : 'UNEXPECTED';
    logger.error('poll failed', { code, error, durationMs: Date.now() - started });
    return { source: source.name, ok: false, error, code };
  }
}
