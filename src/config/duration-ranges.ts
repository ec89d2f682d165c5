import { formatDuration } from './duration.js';

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

/** Node's timers hold 32-bit signed milliseconds; a longer delay fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DurationRange {
  readonly min: number;
  readonly max: number;
}

/**
 * The allowed range of every configured duration, in one table: the schemas read it and the
 * README's configuration reference states it. Every maximum that feeds a timer is well below
 * MAX_TIMER_MS, so no setting can overflow one (Node would fire it after 1 ms).
 */
export const DURATION_RANGES = {
  pollInterval: { min: S, max: 7 * D },
  /** `datacenter-audit-file`: how often the audit files are looked at (a local read, so it may be short). */
  filePollInterval: { min: 100, max: H },
  /** Not a timer: only where a source without a checkpoint starts. */
  initialLookback: { min: 0, max: 3650 * D },
  retryDeadline: { min: 0, max: D },
  requestTimeout: { min: 100, max: 10 * MIN },
  settleDelay: { min: 0, max: H },
  overlap: { min: 0, max: 7 * D },
  exporterTimeout: { min: 100, max: 10 * MIN },
  maxRetryTime: { min: 0, max: 7 * D },
  metricsInterval: { min: S, max: D },
  /** Not a timer: how long before a credential's expiry the receiver starts warning. */
  credentialExpiryWarning: { min: 0, max: 365 * D },
} as const satisfies Record<string, DurationRange>;

/** `must be from 1s to 7d`: the message every out-of-range duration gets. */
export function rangeMessage(range: DurationRange): string {
  return `must be from ${formatDuration(range.min)} to ${formatDuration(range.max)}`;
}
