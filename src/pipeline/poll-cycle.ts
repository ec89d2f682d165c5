import type { CheckpointStore } from '../checkpoint/store.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import type { BackoffPolicy } from '../http/backoff.js';
import type { Logger } from '../log/logger.js';
import type { ExportRecorder } from '../telemetry/recorder.js';
import type { AuditLogRecord } from './audit-log-record.js';
import { crashPoint } from './crash-points.js';
import { deliverBatch } from './deliver.js';
import type { Permits } from './permits.js';
import { preparedPages, recordPreparer } from './prepared-pages.js';
import { ReadAhead } from './read-ahead.js';
import type { SeenUids } from './seen-uids.js';
import type { LogSink } from './sink.js';
import type { Source } from './source.js';

export interface CycleDeps {
  readonly store: CheckpointStore;
  readonly sink: LogSink;
  readonly seen: SeenUids;
  readonly logger: Logger;
  readonly maxRetryTimeMs: number;
  /** Stop fetching new pages (graceful shutdown). */
  readonly stop: AbortSignal;
  /** Abandon the in-flight request or export too (grace period over). */
  readonly abort: AbortSignal;
  /** Retry pacing while the collector is unavailable; tests shorten it. */
  readonly deliveryBackoff?: BackoffPolicy;
  /** Called after each committed page; progress reporting and metrics hook here. */
  readonly onCommit?: (source: string, delivered: readonly AuditLogRecord[]) => void;
  /** Counts refused exports (self-metrics); optional. */
  readonly recorder?: ExportRecorder;
  /** Pages fetched ahead of the one being delivered (default 1; 0 = strictly one page at a time). */
  readonly readAhead?: number;
  /** Shared by every source: bounds the pages held in memory across the process (pipeline/read-ahead.ts). */
  readonly pageBudget?: Permits;
  /**
   * Checkpoints are written after every acknowledged page, but fsync'd at most this often
   * during a backlog (default 1000 ms) and always when the cycle ends: a killed process loses
   * nothing written, only a machine crash can lose the last unsynced second (re-sent, never lost).
   */
  readonly syncEveryMs?: number;
}

export interface CycleSummary {
  readonly source: string;
  readonly pages: number;
  readonly fetched: number;
  readonly delivered: number;
  readonly duplicatesDropped: number;
  readonly rejectedByCollector: number;
  readonly lastEventTimeMs: number | undefined;
  /** Oldest event time delivered in this cycle: with lastEventTimeMs, the time range covered. */
  readonly firstEventTimeMs?: number | undefined;
  /** True when the cycle ended because of shutdown, not because it caught up. */
  readonly interrupted: boolean;
}

/**
 * One catch-up pass: page -> export -> wait for the collector's acknowledgement -> commit,
 * in order, while the next page is already being fetched (ReadAhead). A failing collector
 * stops fetching once `readAhead` pages wait, so memory stays bounded.
 */
export async function runPollCycle(source: Source, deps: CycleDeps): Promise<CycleSummary> {
  const logger = deps.logger.child({ source: source.name });
  const checkpoint = await deps.store.get(source.name);
  const tally: Tally = { pages: 0, fetched: 0, delivered: 0, duplicates: 0, rejected: 0, lastEventTimeMs: undefined, firstEventTimeMs: undefined, interrupted: false };
  // Ends fetching when delivery fails, so no fetch outlives the cycle.
  const lane = new AbortController();
  const fetchSignal = AbortSignal.any([deps.stop, deps.abort]);
  const readSignal = AbortSignal.any([fetchSignal, lane.signal]);
  const prepare = recordPreparer(deps.sink, logger);
  const sourcePages = source.pages(checkpoint, { signal: readSignal, logger, prepare })[Symbol.asyncIterator]();
  const reader = new ReadAhead(preparedPages(sourcePages, prepare), {
    ahead: deps.readAhead ?? 1,
    budget: deps.pageBudget,
    signal: readSignal,
  });
  const commits = new CheckpointWriter(deps.store, source.name, deps.syncEveryMs ?? 1_000);
  try {
    // One call per page, so the page is a local of deliverNext() alone: nothing of it stays
    // reachable while this source waits for its next one (its turn in the shared page budget).
    while (await deliverNext({ source, deps, logger, reader, commits, tally })) {
      if (deps.stop.aborted) {
        tally.interrupted = true;
        break;
      }
    }
  } catch (err) {
    // A fetch cut short by shutdown is not a source failure.
    if (!fetchSignal.aborted) throw err;
    tally.interrupted = true;
  } finally {
    lane.abort();
    await reader.close();
    await commits.finish();
  }
  const { pages, fetched, delivered, duplicates, rejected, lastEventTimeMs, firstEventTimeMs, interrupted } = tally;
  return { source: source.name, pages, fetched, delivered, duplicatesDropped: duplicates, rejectedByCollector: rejected, lastEventTimeMs, firstEventTimeMs, interrupted };
}

interface Tally {
  pages: number;
  fetched: number;
  delivered: number;
  duplicates: number;
  rejected: number;
  lastEventTimeMs: number | undefined;
  firstEventTimeMs: number | undefined;
  interrupted: boolean;
}

interface Lane {
  readonly source: Source;
  readonly deps: CycleDeps;
  readonly logger: Logger;
  readonly reader: ReadAhead;
  readonly commits: CheckpointWriter;
  readonly tally: Tally;
}

/** Delivers and commits the next page; false once the source is caught up or delivery was aborted. */
async function deliverNext({ source, deps, logger, reader, commits, tally }: Lane): Promise<boolean> {
  const page = await reader.next();
  if (page === undefined) return false;
  try {
    crashPoint('after-fetch');
    tally.pages++;
    tally.fetched += page.records.length;
    const fresh = freshRecords(page.records, deps.seen);
    tally.duplicates += page.records.length - fresh.length;
    if (fresh.length > 0) {
      const refused = await deliverBatch(fresh, {
        source: source.name,
        sink: deps.sink,
        logger,
        maxRetryTimeMs: deps.maxRetryTimeMs,
        signal: deps.abort,
        ...(deps.deliveryBackoff ? { backoff: deps.deliveryBackoff } : {}),
        ...(deps.recorder ? { recorder: deps.recorder } : {}),
      });
      if (refused === undefined) {
        tally.interrupted = true;
        return false;
      }
      tally.rejected += refused;
      crashPoint('after-export');
    }
    await commits.write(page.checkpoint);
    crashPoint('after-commit');
    deps.seen.addAll(fresh.map((r) => r.uid));
    tally.delivered += fresh.length;
    for (const r of fresh) {
      tally.lastEventTimeMs = Math.max(tally.lastEventTimeMs ?? r.timeMs, r.timeMs);
      tally.firstEventTimeMs = Math.min(tally.firstEventTimeMs ?? r.timeMs, r.timeMs);
    }
    deps.onCommit?.(source.name, fresh);
    // Committed: no record of this page is sent again (duplicates were never sent).
    deps.sink.release?.(page.records);
    return true;
  } finally {
    reader.release();
  }
}

/**
 * The records of a page not delivered before: neither in the process's recent uids nor earlier
 * in the same page (an API can list one record twice in one page; it is exported once).
 */
function freshRecords(records: readonly AuditLogRecord[], seen: SeenUids): AuditLogRecord[] {
  const inPage = new Set<string>();
  const fresh: AuditLogRecord[] = [];
  for (const r of records) {
    if (seen.has(r.uid) || inPage.has(r.uid)) continue;
    inPage.add(r.uid);
    fresh.push(r);
  }
  return fresh;
}
