import type { Logger } from '../log/logger.js';
import type { AuditLogRecord } from './audit-log-record.js';

/** A long catch-up reports progress this often (`--progress-interval`). */
export const PROGRESS_EVERY_MS = 10_000;

/** One progress report of one source's catch-up. */
export interface ProgressReport {
  readonly source: string;
  /** Records delivered (acknowledged and committed) in this catch-up so far. */
  readonly delivered: number;
  /** Records per second since the previous report. */
  readonly recordsPerSecond: number;
  /** Event-time range delivered so far; `eventsTo` is the position. Absent before the first record. */
  readonly eventsFromMs?: number;
  readonly eventsToMs?: number;
  /** What the catch-up aims at: the time it started (it reads up to "now" as of then), or a replay's end. */
  readonly targetMs: number;
  /** Share of the event time between the first record and the target already covered (0-100). */
  readonly percent?: number;
  /** Estimated time left, from the event-time speed so far; absent while it cannot be told. */
  readonly remainingMs?: number;
  readonly elapsedMs: number;
}

interface CycleProgress {
  readonly startedMs: number;
  lastReportMs: number;
  delivered: number;
  deliveredAtLastReport: number;
  firstEventMs: number | undefined;
  lastEventMs: number | undefined;
}

/**
 * Fed by CycleDeps.onCommit (and a timer calling `tick`, so a source held by a rate limit is
 * still reported): once a catch-up has been running for `everyMs`, reports it every `everyMs`.
 * Short polls report nothing here (the runner logs 'poll finished').
 */
export class BackfillProgress {
  private readonly cycles = new Map<string, CycleProgress>();

  constructor(
    private readonly emit: (report: ProgressReport) => void,
    private readonly everyMs: number = PROGRESS_EVERY_MS,
    private readonly clock: { now(): number } = Date,
    /** A fixed target (e.g. the end of a replay window); by default the time each catch-up started. */
    private readonly fixedTargetMs?: number,
  ) {}

  committed(source: string, records: readonly Pick<AuditLogRecord, 'timeMs'>[]): void {
    const now = this.clock.now();
    let p = this.cycles.get(source);
    if (!p) {
      // The first page's fetch happened before this moment: the rate is measured from here, without it.
      p = { startedMs: now, lastReportMs: now, delivered: 0, deliveredAtLastReport: records.length, firstEventMs: undefined, lastEventMs: undefined };
      this.cycles.set(source, p);
    }
    p.delivered += records.length;
    for (const r of records) {
      p.firstEventMs = Math.min(p.firstEventMs ?? r.timeMs, r.timeMs);
      p.lastEventMs = Math.max(p.lastEventMs ?? r.timeMs, r.timeMs);
    }
    if (now - p.lastReportMs >= this.everyMs) this.report(source, p, now);
  }

  /** Reports every catch-up that has gone `everyMs` without a report (e.g. waiting for the API). */
  tick(): void {
    const now = this.clock.now();
    for (const [source, p] of this.cycles) if (now - p.lastReportMs >= this.everyMs) this.report(source, p, now);
  }

  /** The cycle ended (caught up, failed or stopped): the next one starts counting afresh. */
  cycleFinished(source: string): void {
    this.cycles.delete(source);
  }

  private report(source: string, p: CycleProgress, now: number): void {
    const rate = (p.delivered - p.deliveredAtLastReport) / ((now - p.lastReportMs) / 1_000);
    const target = this.fixedTargetMs ?? p.startedMs;
    let percent: number | undefined;
    let remainingMs: number | undefined;
    if (p.firstEventMs !== undefined && p.lastEventMs !== undefined) {
      const span = target - p.firstEventMs;
      const covered = p.lastEventMs - p.firstEventMs;
      percent = span > 0 ? Math.min(100, Math.round((covered / span) * 1_000) / 10) : 100;
      // Event time covered per wall-clock ms so far; the rest of the span at the same speed.
      const speed = covered / (now - p.startedMs);
      if (p.lastEventMs >= target) remainingMs = 0;
      else if (speed > 0) remainingMs = Math.round((target - p.lastEventMs) / speed);
    }
    this.emit({
      source,
      delivered: p.delivered,
      recordsPerSecond: Math.round(rate * 10) / 10,
      ...(p.firstEventMs !== undefined && p.lastEventMs !== undefined ? { eventsFromMs: p.firstEventMs, eventsToMs: p.lastEventMs } : {}),
      targetMs: target,
      ...(percent !== undefined ? { percent } : {}),
      ...(remainingMs !== undefined ? { remainingMs } : {}),
      elapsedMs: now - p.startedMs,
    });
    p.lastReportMs = now;
    p.deliveredAtLastReport = p.delivered;
  }
}

/** The JSON log form: one `backfill.progress` line per report, times in ISO 8601. */
export function logProgress(logger: Logger): (r: ProgressReport) => void {
  return (r) =>
    logger.info('backfill progress', {
      event: 'backfill.progress',
      source: r.source,
      delivered: r.delivered,
      recordsPerSecond: r.recordsPerSecond,
      ...(r.eventsFromMs !== undefined && r.eventsToMs !== undefined
        ? { eventsFrom: new Date(r.eventsFromMs).toISOString(), eventsTo: new Date(r.eventsToMs).toISOString() }
        : {}),
      target: new Date(r.targetMs).toISOString(),
      ...(r.percent !== undefined ? { percent: r.percent } : {}),
      ...(r.remainingMs !== undefined ? { remainingSeconds: Math.round(r.remainingMs / 1_000) } : {}),
      elapsedMs: r.elapsedMs,
    });
}
