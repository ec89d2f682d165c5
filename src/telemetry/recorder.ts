/**
 * What the HTTP and pipeline layers report about themselves. They depend on these
 * interfaces only; `self-metrics.ts` implements them over the OpenTelemetry SDK. The
 * recorder is optional everywhere, so `once`, `check`, `demo` and tests run without it.
 */
export interface ApiRecorder {
  /**
   * One answer from an Atlassian API (`status`), or a transport failure (`status` undefined,
   * `errorType` its code); `durationMs` is how long the exchange took, body included.
   */
  apiResponse(source: string, status: number | undefined, errorType?: string, durationMs?: number): void;
  /** A failed request is about to be tried again; `reason` is the error code (ATL_RATE_LIMITED, HTTP_TIMEOUT, …). */
  apiRetry(source: string, reason: string): void;
}

export interface ExportRecorder {
  /** An export the collector did not accept: `retryable` (the same batch goes again) or `failed` (the source stops). */
  exportFailed(source: string, outcome: 'retryable' | 'failed'): void;
  /** One export request finished (`accepted`, `retryable` or `failed`) after `durationMs`. */
  exportFinished(source: string, outcome: 'accepted' | 'retryable' | 'failed', durationMs: number): void;
  /** Records the collector refused in a partial_success (lost downstream; OTLP forbids a retry). */
  recordsRejected(source: string, count: number): void;
}

export type Recorder = ApiRecorder & ExportRecorder;
