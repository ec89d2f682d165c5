import { ReceiverError, type ErrorContext } from './receiver-error.js';

/**
 * Authentication could not even be attempted or completed: no cloud id for the site, a
 * token endpoint answer without a token, an unreadable saved refresh token. Not retried
 * within a poll; the next poll tries again. Messages name the credential, never its secret.
 */
export class AuthError extends ReceiverError {
  constructor(message: string, context: ErrorContext, options?: { cause?: unknown }) {
    super('ATL_AUTH', message, context, options);
  }
}
