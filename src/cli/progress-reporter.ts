import type { LogLevel, Logger } from '../log/logger.js';
import { BackfillProgress, logProgress, PROGRESS_EVERY_MS, type ProgressReport } from '../pipeline/progress.js';

/**
 * Backfill progress for `run` and `once`: JSON `backfill.progress` log lines, or, when stderr
 * is a terminal, one plain line per report that a person can read at a glance. A timer keeps
 * reporting while a source waits (rate limit, Retry-After), not only when a page lands.
 */
export function startProgress(opts: { logger: Logger; logLevel: LogLevel; everyMs?: number; targetMs?: number; tty?: boolean; write?: (line: string) => void }) {
  const everyMs = opts.everyMs ?? PROGRESS_EVERY_MS;
  const quiet = opts.logLevel !== 'debug' && opts.logLevel !== 'info';
  const write = opts.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const emit = quiet ? () => undefined : (opts.tty ?? process.stderr.isTTY) ? (r: ProgressReport) => write(formatProgressLine(r)) : logProgress(opts.logger);
  const progress = new BackfillProgress(emit, everyMs, Date, opts.targetMs);
  const timer = everyMs > 0 ? setInterval(() => progress.tick(), Math.max(everyMs / 4, 50)) : undefined;
  timer?.unref();
  return { progress, stop: () => clearInterval(timer) };
}

/** `acme-org: 45,000 events, 1,230/s, at 2026-05-19 10:00:00Z of 2026-05-20 14:00:00Z (61.2%), about 3m 20s left` */
export function formatProgressLine(r: ProgressReport): string {
  const n = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 1 : 0 });
  const parts = [`${n(r.delivered)} events`, `${n(r.recordsPerSecond)}/s`];
  const at = r.eventsToMs === undefined ? 'no events yet' : `at ${isoSeconds(r.eventsToMs)}`;
  parts.push(`${at} of ${isoSeconds(r.targetMs)}${r.percent === undefined ? '' : ` (${r.percent.toFixed(1)}%)`}`);
  parts.push(r.remainingMs === undefined ? 'time left unknown' : `about ${humanDuration(r.remainingMs)} left`);
  return `${r.source}: ${parts.join(', ')}`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** 3h 5m, 3m 20s, 45s: two units at most. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
