import type { AuditLogRecord } from './audit-log-record.js';
import { REPLAY_ID_ATTRIBUTE, type Replayable, type ReplayWindow } from './replay.js';
import type { CheckResult, CheckpointState, PollContext, Source, SourcePage } from './source.js';

/**
 * Presents a replay of one window as an ordinary Source, so it goes through the same poll
 * cycle (export, acknowledgement, progress) as `once`. The stored checkpoint is ignored: the
 * window alone says what to read, and every record keeps its uid and gains the replay marker.
 */
export class ReplaySource implements Source {
  readonly name: string;
  readonly type: string;
  readonly pollIntervalMs: number;

  constructor(
    private readonly inner: Source & Replayable,
    private readonly window: ReplayWindow,
    private readonly replayId: string,
  ) {
    this.name = inner.name;
    this.type = inner.type;
    this.pollIntervalMs = inner.pollIntervalMs;
  }

  async *pages(_checkpoint: CheckpointState | undefined, ctx: PollContext): AsyncIterable<SourcePage> {
    // Without `prepare`: the replay marker is added here, after the inner source mapped the record.
    for await (const page of this.inner.replay(this.window, { signal: ctx.signal, logger: ctx.logger })) {
      yield { ...page, records: page.records.map((r) => this.mark(r)) };
    }
  }

  check(signal: AbortSignal): Promise<CheckResult> {
    return this.inner.check(signal);
  }

  private mark(record: AuditLogRecord): AuditLogRecord {
    return { ...record, attributes: { ...record.attributes, [REPLAY_ID_ATTRIBUTE]: this.replayId } };
  }
}
