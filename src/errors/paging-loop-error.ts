import { ReceiverError } from './receiver-error.js';

/**
 * The API's paging does not make progress: a cursor already followed in this walk came back,
 * or a page held only records this walk already read. Following it would never end.
 */
export class PagingLoopError extends ReceiverError {
  constructor(message: string, context: { source: string; path: string }) {
    super('ATL_PAGING_LOOP', message, { ...context, method: 'GET' });
  }
}
