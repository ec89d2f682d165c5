import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import type { SourceOutcome } from '../pipeline/runner.js';
import { readinessOf, type Readiness, type SourceStatus } from './readiness.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Per-source state fed by the pipeline's hooks (onCommit, onCycle) and read by the health
 * endpoint and the metric gauges. Times come from `clock` so tests can move it.
 */
export class SourceStatusBoard {
  private readonly byName = new Map<string, Mutable<SourceStatus>>();

  constructor(
    sources: readonly { readonly name: string; readonly pollIntervalMs: number }[],
    private readonly clock: { now(): number } = Date,
  ) {
    for (const s of sources) this.byName.set(s.name, { name: s.name, pollIntervalMs: s.pollIntervalMs });
  }

  /** A page was delivered and its checkpoint committed. */
  committed(source: string, records: readonly Pick<AuditLogRecord, 'timeMs'>[]): void {
    const s = this.byName.get(source);
    if (!s) return;
    s.lastCommitAtMs = this.clock.now();
    for (const r of records) s.lastEventTimeMs = Math.max(s.lastEventTimeMs ?? r.timeMs, r.timeMs);
  }

  cycleFinished(outcome: SourceOutcome): void {
    const s = this.byName.get(outcome.source);
    if (!s) return;
    const at = outcome.finishedAtMs ?? this.clock.now();
    if (!outcome.ok) {
      s.lastFailure = { atMs: at, code: outcome.code, error: outcome.error };
      return;
    }
    s.lastPollOkAtMs = at;
    // A cycle walks to "now" as of its start; one cut short by shutdown did not get there.
    if (!outcome.summary.interrupted && outcome.startedAtMs !== undefined) s.caughtUpToMs = Math.max(s.caughtUpToMs ?? 0, outcome.startedAtMs);
  }

  statuses(): readonly SourceStatus[] {
    return [...this.byName.values()].map((s) => ({ ...s }));
  }

  readiness(): Readiness {
    return readinessOf(this.statuses(), this.clock.now());
  }

  /**
   * How far behind the source's checkpoint is: now minus the newest point it is known to be
   * complete up to (its newest delivered event, or the start of its last caught-up poll,
   * whichever is later). Undefined until either is known.
   */
  checkpointLagMs(source: string): number | undefined {
    const s = this.byName.get(source);
    if (!s) return undefined;
    const upTo = Math.max(s.caughtUpToMs ?? -Infinity, s.lastEventTimeMs ?? -Infinity);
    return Number.isFinite(upTo) ? Math.max(0, this.clock.now() - upTo) : undefined;
  }
}
