import type { Logger } from '../log/logger.js';
import type { AuditLogRecord } from './audit-log-record.js';
import { limitDepth, MAX_VALUE_DEPTH, unlessTooDeep } from './depth-limit.js';
import type { LogSink } from './sink.js';
import type { SourcePage } from './source.js';

/**
 * `sink.prepare(record)`, or for a sink without one the record itself; undefined when the
 * record is nested too deeply to be sent as it is (the LogSink.prepare contract).
 */
export function prepareAsIs(sink: LogSink, record: AuditLogRecord): AuditLogRecord | undefined {
  return sink.prepare ? sink.prepare(record) : unlessTooDeep(record);
}

/**
 * How a poll cycle prepares a record for delivery: the sink's `prepare`, which may keep less
 * of it; a record nested too deeply is first bounded (parts too deep to send as structure
 * become JSON text) and a warning names it.
 */
export function recordPreparer(sink: LogSink, logger: Logger): (record: AuditLogRecord) => AuditLogRecord {
  return (record: AuditLogRecord): AuditLogRecord => {
    const prepared = prepareAsIs(sink, record);
    if (prepared !== undefined) return prepared;
    const bounded = limitDepth(record).record;
    logger.warn('record nested too deeply; parts below the limit are sent as JSON text', { event: 'record.depth_limited', uid: record.uid, maxDepth: MAX_VALUE_DEPTH });
    const again = prepareAsIs(sink, bounded);
    // limitDepth leaves nothing at the limit: a sink refusing its result is a bug, not input.
    if (again === undefined) throw new Error(`record ${record.uid}: still nested too deeply after limiting its depth`);
    return again;
  };
}

/**
 * A source's pages as a poll cycle holds them until delivery: each record prepared as soon as
 * its page is mapped, unless the source already did (`SourcePage.prepared`).
 */
export function preparedPages(pages: AsyncIterator<SourcePage>, prepare: (record: AuditLogRecord) => AuditLogRecord): AsyncIterator<SourcePage> {
  return {
    next: async () => {
      const result = await pages.next();
      if (result.done === true || result.value.prepared === true) return result;
      return { done: false, value: { ...result.value, records: result.value.records.map(prepare), prepared: true } };
    },
    return: async (value?: unknown) => (pages.return ? pages.return(value) : { done: true, value: undefined }),
  };
}
