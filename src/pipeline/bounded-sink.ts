import type { AuditLogRecord } from './audit-log-record.js';
import type { Permits } from './permits.js';
import { prepareAsIs } from './prepared-pages.js';
import type { DeliveryResult, LogSink } from './sink.js';

/**
 * A sink that holds one of the process's export permits for each request it sends, so the
 * collector never sees more concurrent exports than configured however many sources run.
 * Permits are granted first come, first served: every source gets its turn.
 */
export class BoundedSink implements LogSink {
  readonly description: string;

  constructor(
    private readonly inner: LogSink,
    private readonly slots: Permits,
  ) {
    this.description = inner.description;
  }

  async deliver(records: readonly AuditLogRecord[], signal: AbortSignal): Promise<DeliveryResult> {
    try {
      await this.slots.acquire(signal);
    } catch {
      return { status: 'retryable', reason: 'aborted' };
    }
    try {
      return await this.inner.deliver(records, signal);
    } finally {
      this.slots.release();
    }
  }

  prepare(record: AuditLogRecord): AuditLogRecord | undefined {
    return prepareAsIs(this.inner, record);
  }

  release(records: readonly AuditLogRecord[]): void {
    this.inner.release?.(records);
  }

  check(signal: AbortSignal): Promise<{ ok: boolean; detail: string }> {
    return this.inner.check(signal);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
