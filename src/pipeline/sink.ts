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
  deliver(records: readonly AuditLogRecord[], signal: AbortSignal): Promise<DeliveryResult>;
  check(signal: AbortSignal): Promise<{ ok: boolean; detail: string }>;
  shutdown(): Promise<void>;
}
