import type { AuditLogRecord } from './audit-log-record.js';

export type DeliveryResult =
  /** The collector answered 2xx. `rejected` > 0 for a partial_success: those are logged, not retried (OTLP forbids it). */
  | { readonly status: 'accepted'; readonly rejected: number; readonly message?: string }
  /** Worth retrying the same batch: collector down, 429/502/503/504, timeout. */
  | { readonly status: 'retryable'; readonly reason: string; readonly retryAfterMs?: number }
  /** Will never succeed as sent (e.g. 400, 401, 413): the source stops and keeps its checkpoint. */
  | { readonly status: 'failed'; readonly reason: string; readonly tooLarge?: boolean };

/** Delivers one batch and reports what the far side said. Implementations never throw. */
export interface LogSink {
  readonly description: string;
  /**
   * Called for each record as soon as its page is mapped, long before its export: a sink may
   * return a leaner record to hold until then, keeping `uid`, `timeMs` and `observedMs`. The
   * OTLP protobuf sink keeps only the encoded bytes (AuditLogRecord.encoded), so the parsed
   * page becomes garbage at once instead of surviving the export round trip.
   * Returns undefined for a record nested MAX_VALUE_DEPTH levels or deeper (pipeline/depth-limit.ts):
   * the pipeline then limits its depth, warns, and calls again. A sink that encodes here
   * finds that out while encoding, so shallow records (nearly all) are walked once, not twice.
   */
  prepare?(record: AuditLogRecord): AuditLogRecord | undefined;
  /**
   * The pipeline is done with these prepared records (their page is committed) and will never
   * pass them to `deliver` again: the sink may reuse what it holds for them. Called once per
   * record at most; a record never released is simply left to the garbage collector.
   */
  release?(records: readonly AuditLogRecord[]): void;
  deliver(records: readonly AuditLogRecord[], signal: AbortSignal): Promise<DeliveryResult>;
  check(signal: AbortSignal): Promise<{ ok: boolean; detail: string }>;
  shutdown(): Promise<void>;
}
