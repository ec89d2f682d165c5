import type { AuditLogRecord } from './audit-log-record.js';
import type { Logger } from '../log/logger.js';

/** JSON-serialisable checkpoint state; each source defines and validates its own shape. */
export type CheckpointState = { readonly [key: string]: unknown };

/** One unit of delivery: exported as one request, committed as one checkpoint. */
export interface SourcePage {
  readonly records: readonly AuditLogRecord[];
  /** Where to resume once these records were accepted by the collector. */
  readonly checkpoint: CheckpointState;
  /** Context for logs: e.g. the time range the page covers. */
  readonly note?: string;
  /** Every record already went through `PollContext.prepare`. */
  readonly prepared?: boolean;
}

export interface PollContext {
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /**
   * The sink's preparation of a record (pipeline/prepared-pages.ts). A source that maps a page
   * one event at a time may hand each record to it as soon as it is mapped, so the parsed event
   * is garbage before the next one is parsed, and mark the page `prepared`; otherwise the
   * pipeline prepares the page's records once the page is yielded.
   */
  readonly prepare?: (record: AuditLogRecord) => AuditLogRecord;
}

/** `check` makes one request per source and must answer promptly: a short retry budget instead of the poll's. */
export const CHECK_RETRY_DEADLINE_MS = 5_000;

export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * A source walks its API from a checkpoint to "now", one page at a time.
 * The pipeline pulls the next page only after the previous one was delivered and
 * committed, so a slow or failing collector pauses fetching (backpressure by design).
 */
export interface Source {
  readonly name: string;
  readonly type: string;
  readonly pollIntervalMs: number;
  /**
   * Yields pages until caught up. `checkpoint` is the last committed state (undefined on
   * first run). Throws a typed error when the API fails past its retry budget.
   */
  pages(checkpoint: CheckpointState | undefined, ctx: PollContext): AsyncIterable<SourcePage>;
  /** One cheap authenticated request, for `check`. Never throws. */
  check(signal: AbortSignal): Promise<CheckResult>;
}
