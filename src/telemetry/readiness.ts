import { formatDuration } from '../config/duration.js';

/** A source is ready while it has polled successfully within this many of its poll intervals. */
export const READY_WITHIN_POLL_INTERVALS = 3;

/** What the health endpoint knows about one source; every time is epoch ms. */
export interface SourceStatus {
  readonly name: string;
  readonly pollIntervalMs: number;
  /** End of the last poll cycle that succeeded. */
  readonly lastPollOkAtMs?: number;
  /** Last page delivered and committed: progress in the middle of a long backfill counts as success. */
  readonly lastCommitAtMs?: number;
  readonly lastFailure?: { readonly atMs: number; readonly code: string; readonly error: string };
  /** The source is complete at least up to here: the start of its last uninterrupted successful cycle. */
  readonly caughtUpToMs?: number;
  /** Newest event time delivered. */
  readonly lastEventTimeMs?: number;
}

export interface SourceReadiness {
  readonly source: string;
  readonly ready: boolean;
  /** Why not (absent when ready). */
  readonly reason?: string;
  readonly pollInterval: string;
  readonly lastSuccessAt?: string;
  readonly lastError?: { readonly at: string; readonly code: string; readonly message: string };
}

export interface Readiness {
  readonly status: 'ready' | 'not ready';
  readonly sources: readonly SourceReadiness[];
  /** Credentials within their expiry warning period: named here, without changing the status. */
  readonly credentials?: readonly string[];
}

/** The rule, pure: ready when the last success (cycle or committed page) is no older than 3 × pollInterval. */
export function sourceReadiness(s: SourceStatus, nowMs: number): SourceReadiness {
  const lastSuccess = latest(s.lastPollOkAtMs, s.lastCommitAtMs);
  const limitMs = READY_WITHIN_POLL_INTERVALS * s.pollIntervalMs;
  const failure = s.lastFailure;
  const failedSince = failure !== undefined && (lastSuccess === undefined || failure.atMs >= lastSuccess);
  const details = {
    pollInterval: formatDuration(s.pollIntervalMs),
    ...(lastSuccess !== undefined ? { lastSuccessAt: iso(lastSuccess) } : {}),
    ...(failure ? { lastError: { at: iso(failure.atMs), code: failure.code, message: failure.error } } : {}),
  };
  if (lastSuccess === undefined) {
    const reason = failedSince ? `no successful poll yet; the last one failed: ${failure.code}: ${failure.error}` : 'no successful poll yet (the first poll is still running)';
    return { source: s.name, ready: false, reason, ...details };
  }
  const ageMs = Math.max(0, nowMs - lastSuccess);
  if (ageMs <= limitMs) return { source: s.name, ready: true, ...details };
  const limit = `${formatDuration(limitMs)} = ${READY_WITHIN_POLL_INTERVALS} × pollInterval ${formatDuration(s.pollIntervalMs)}`;
  const why = failedSince ? `the last poll failed: ${failure.code}: ${failure.error}` : 'a poll is still running (the API or the collector may be failing and being retried)';
  return { source: s.name, ready: false, reason: `no successful poll for ${formatDuration(roundToSecond(ageMs))} (limit ${limit}); ${why}`, ...details };
}

export function readinessOf(statuses: readonly SourceStatus[], nowMs: number): Readiness {
  const sources = statuses.map((s) => sourceReadiness(s, nowMs));
  return { status: sources.every((s) => s.ready) ? 'ready' : 'not ready', sources };
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function roundToSecond(ms: number): number {
  return Math.max(1_000, Math.round(ms / 1_000) * 1_000);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
