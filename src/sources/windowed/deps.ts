import type { CredentialRegistry } from '../../auth/credential-registry.js';
import type { Clock, RateLimiterRegistry } from '../../http/rate-limiter.js';
import type { Logger } from '../../log/logger.js';
import type { ApiRecorder } from '../../telemetry/recorder.js';
import type { CredentialSecrets } from '../../auth/credential-registry.js';

/** What a windowed product-audit source (Jira, Confluence) needs from the wiring. */
export interface WindowedSourceDeps {
  readonly limiters: RateLimiterRegistry;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Where a corrupt checkpoint lives, for the error message. */
  readonly checkpointFile: string;
  readonly credentials: CredentialRegistry;
  /** Counts API requests by status for self-metrics; absent in `once`/`check`. */
  readonly recorder?: ApiRecorder;
  /** auth secrets that came from `${file:…}`: read again after a 401. */
  readonly secrets?: CredentialSecrets;
}
