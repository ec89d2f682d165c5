/** Context every error may carry. Never a secret: no header values, no query tokens. */
export interface ErrorContext {
  readonly source?: string;
  readonly method?: string;
  /** URL path without the query string. */
  readonly path?: string;
  readonly status?: number;
  readonly file?: string;
}

/** Base of the receiver's error hierarchy; `code` is stable for tests and alerting. */
export class ReceiverError extends Error {
  readonly code: string;
  readonly context: ErrorContext;

  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }

  /** One line for humans: message plus the context that helps to act on it. */
  describe(): string {
    const c = this.context;
    const where = [c.source && `source=${c.source}`, c.method && c.path && `${c.method} ${c.path}`, c.status && `status=${c.status}`, c.file && `file=${c.file}`]
      .filter(Boolean)
      .join(' ');
    return where ? `${this.message} (${where})` : this.message;
  }
}
