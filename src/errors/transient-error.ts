import { ReceiverError, type ErrorContext } from './receiver-error.js';

/**
 * A failure worth retrying (5xx, 429, timeout, reset, malformed or truncated body)
 * that kept failing until the retry deadline passed.
 */
export class TransientError extends ReceiverError {
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, context: ErrorContext, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(code, message, context, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}
