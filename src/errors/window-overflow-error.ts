import { ReceiverError } from './receiver-error.js';

/**
 * One millisecond of a product audit log holds more records than the receiver will hold in
 * memory: a window cannot be split below a millisecond, so the poll stops here instead of
 * growing without bound (an API answering full pages forever looks exactly like this).
 */
export class WindowOverflowError extends ReceiverError {
  constructor(source: string, path: string, atMs: number, cap: number) {
    super(
      'ATL_WINDOW_TOO_LARGE',
      `more than ${cap} records in the one-millisecond window ${new Date(atMs).toISOString()} (${atMs}); ` +
        'the API keeps answering full pages for it. The checkpoint stays before it; raise pageSize if the records are real',
      { source, method: 'GET', path },
    );
  }
}
