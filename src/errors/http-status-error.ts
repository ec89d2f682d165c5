import { ReceiverError, type ErrorContext } from './receiver-error.js';

/** The API answered with a status that retrying the same request will not fix (400/401/403/404…). */
export class HttpStatusError extends ReceiverError {
  readonly status: number;
  /** Atlassian's error code from the body (e.g. ADMIN-400-1), when there is one. */
  readonly apiCode: string | undefined;

  constructor(message: string, context: ErrorContext & { status: number }, apiCode?: string) {
    super('ATL_HTTP_STATUS', message, context);
    this.status = context.status;
    this.apiCode = apiCode;
  }
}
