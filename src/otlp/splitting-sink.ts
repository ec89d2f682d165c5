import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import { prepareAsIs } from '../pipeline/prepared-pages.js';
import type { DeliveryResult, LogSink } from '../pipeline/sink.js';

/**
 * A collector that answers 413 to a batch may take its halves: split and deliver each (down to
 * single records) before giving up, so one oversized page cannot stall a source forever. The
 * batch is acknowledged only when every part was; a part that must be retried makes the whole
 * batch retried (parts already accepted are sent again, with the same log.record.uid). A single
 * record still refused fails with the 413's explanation (what to change).
 */
export class SplittingSink implements LogSink {
  constructor(private readonly inner: LogSink) {}

  get description(): string {
    return this.inner.description;
  }

  async deliver(records: readonly AuditLogRecord[], signal: AbortSignal): Promise<DeliveryResult> {
    const result = await this.inner.deliver(records, signal);
    if (result.status !== 'failed' || !result.tooLarge) return result;
    if (records.length <= 1) return { status: 'failed', reason: `${result.reason} (a single record is too large, even alone)`, tooLarge: true };
    const middle = Math.ceil(records.length / 2);
    let rejected = 0;
    const messages: string[] = [];
    for (const half of [records.slice(0, middle), records.slice(middle)]) {
      const part = await this.deliver(half, signal);
      if (part.status !== 'accepted') return part;
      rejected += part.rejected;
      if (part.message) messages.push(part.message);
    }
    return messages.length > 0 ? { status: 'accepted', rejected, message: messages.join('; ') } : { status: 'accepted', rejected };
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
