import type { CheckpointStore } from '../checkpoint/store.js';
import type { BackoffPolicy } from '../http/backoff.js';
import type { Logger } from '../log/logger.js';
import type { ExportRecorder } from '../telemetry/recorder.js';
import type { AuditLogRecord } from './audit-log-record.js';
import { crashPoint } from './crash-points.js';
import { deliverBatch } from './deliver.js';
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
 * One catch-up pass: page -> export -> wait for the collector's acknowledgement -> commit.
 * The next page is fetched only after the previous one was committed, so a failing
 * collector pauses fetching and memory holds at most one page.
 */
export async function runPollCycle(source: Source, deps: CycleDeps): Promise<CycleSummary> {
  const logger = deps.logger.child({ source: source.name });
  const checkpoint = await deps.store.get(source.name);
  let pages = 0, fetched = 0, delivered = 0, duplicates = 0, rejected = 0;
  let lastEventTimeMs: number | undefined;
  let firstEventTimeMs: number | undefined;
  let interrupted = false;
  const fetchSignal = AbortSignal.any([deps.stop, deps.abort]);
  try {
    for await (const page of source.pages(checkpoint, { signal: fetchSignal, logger })) {
      crashPoint('after-fetch');
      pages++;
      fetched += page.records.length;
      const fresh = page.records.filter((r) => !deps.seen.has(r.uid));
      duplicates += page.records.length - fresh.length;
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
          interrupted = true;
          break;
        }
        rejected += refused;
        crashPoint('after-export');
      }
      await deps.store.set(source.name, page.checkpoint);
      crashPoint('after-commit');
      deps.seen.addAll(fresh.map((r) => r.uid));
      delivered += fresh.length;
      for (const r of fresh) {
        lastEventTimeMs = Math.max(lastEventTimeMs ?? r.timeMs, r.timeMs);
        firstEventTimeMs = Math.min(firstEventTimeMs ?? r.timeMs, r.timeMs);
      }
      deps.onCommit?.(source.name, fresh);
      if (deps.stop.aborted) {
        interrupted = true;
        break;
      }
    }
  } catch (err) {
    // A fetch cut short by shutdown is not a source failure.
    if (!fetchSignal.aborted) throw err;
    interrupted = true;
  }
  return { source: source.name, pages, fetched, delivered, duplicatesDropped: duplicates, rejectedByCollector: rejected, lastEventTimeMs, firstEventTimeMs, interrupted };
}
