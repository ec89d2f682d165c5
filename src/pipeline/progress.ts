import type { Logger } from '../log/logger.js';
import type { AuditLogRecord } from './audit-log-record.js';

/** A long catch-up reports progress at least this often (measured at page commits). */
export const PROGRESS_EVERY_MS = 10_000;

interface CycleProgress {
  readonly startedMs: number;
  lastReportMs: number;
  delivered: number;
  deliveredAtLastReport: number;
  firstEventMs: number | undefined;
  lastEventMs: number | undefined;
}

/**
 * Fed by CycleDeps.onCommit: once a poll cycle has been delivering for `everyMs`, logs one
 * 'backfill progress' line per source every `everyMs`: events so far, the event-time range
 * covered, and the current rate. Short polls log nothing here (runner logs 'poll finished').
 */
export class BackfillProgress {
  private readonly cycles = new Map<string, CycleProgress>();

  constructor(
    private readonly logger: Logger,
    private readonly everyMs: number = PROGRESS_EVERY_MS,
    private readonly clock: { now(): number } = Date,
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
    const windowMs = now - p.lastReportMs;
    if (windowMs < this.everyMs) return;
    const rate = (p.delivered - p.deliveredAtLastReport) / (windowMs / 1_000);
    this.logger.info('backfill progress', {
      event: 'backfill.progress',
      source,
      delivered: p.delivered,
      ...(p.firstEventMs !== undefined && p.lastEventMs !== undefined
        ? { eventsFrom: new Date(p.firstEventMs).toISOString(), eventsTo: new Date(p.lastEventMs).toISOString() }
        : {}),
      recordsPerSecond: Math.round(rate * 10) / 10,
      elapsedMs: now - p.startedMs,
    });
    p.lastReportMs = now;
    p.deliveredAtLastReport = p.delivered;
  }

  /** The cycle ended (caught up, failed or stopped): the next one starts counting afresh. */
  cycleFinished(source: string): void {
    this.cycles.delete(source);
  }
}
