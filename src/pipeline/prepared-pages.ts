import type { Logger } from '../log/logger.js';
import type { AuditLogRecord } from './audit-log-record.js';
import { limitDepth, MAX_VALUE_DEPTH } from './depth-limit.js';
import type { LogSink } from './sink.js';
import type { SourcePage } from './source.js';

/**
 * A source's pages as a poll cycle holds them until delivery. As soon as a page is mapped,
 * each record is bounded in depth (parts too deep to send as structure become JSON text, and
 * a warning names the record) and handed to the sink's `prepare`, which may keep less of it.
 */
export function preparedPages(pages: AsyncIterator<SourcePage>, sink: LogSink, logger: Logger): AsyncIterator<SourcePage> {
  const prepare = (record: AuditLogRecord): AuditLogRecord => {
    const bounded = limitDepth(record);
    if (bounded.limited) logger.warn('record nested too deeply; parts below the limit are sent as JSON text', { event: 'record.depth_limited', uid: record.uid, maxDepth: MAX_VALUE_DEPTH });
    return sink.prepare ? sink.prepare(bounded.record) : bounded.record;
  };
  return {
    next: async () => {
      const result = await pages.next();
      if (result.done === true) return result;
      return { done: false, value: { ...result.value, records: result.value.records.map(prepare) } };
    },
    return: async (value?: unknown) => (pages.return ? pages.return(value) : { done: true, value: undefined }),
  };
}
