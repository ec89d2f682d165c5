import { TransientError } from './transient-error.js';
import type { ErrorContext } from './receiver-error.js';

/** The API answered 2xx but the body is not the JSON envelope we expect (truncated, HTML, wrong shape). */
export class ResponseFormatError extends TransientError {
  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super('ATL_BAD_RESPONSE', message, context, options);
  }
}
