import { formatDuration, parseDuration } from '../config/duration.js';
import type { ReplayWindow, RetentionLimit } from '../pipeline/replay.js';
import { CliExit, EXIT } from './context.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `--from`/`--to`: an ISO-8601 time (a date alone is midnight UTC; a time without an offset is
 * UTC), `now`, or a duration such as `7d` or `36h` meaning that long before now.
 */
export function parseReplayTime(flag: string, text: string, nowMs: number): number {
  const trimmed = text.trim();
  if (trimmed === 'now') return nowMs;
  const ago = parseDuration(trimmed);
  if (ago !== undefined) return nowMs - ago;
  if (ISO_DATE.test(trimmed)) {
    const utc = /[Zz]|[+-]\d{2}:?\d{2}$/.test(trimmed.slice(10)) || trimmed.length === 10 ? trimmed : `${trimmed}Z`;
    const ms = Date.parse(utc.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new CliExit(`${flag} "${text}" is not a time: use ISO-8601 (2026-05-19T14:00:00Z), now, or a duration before now such as 7d or 36h`, EXIT.USAGE);
}

export function parseReplayWindow(from: string, to: string, nowMs: number): ReplayWindow {
  const fromMs = parseReplayTime('--from', from, nowMs);
  const toMs = parseReplayTime('--to', to, nowMs);
  if (fromMs > toMs) throw new CliExit(`--from ${iso(fromMs)} is after --to ${iso(toMs)}`, EXIT.USAGE);
  if (fromMs > nowMs) throw new CliExit(`--from ${iso(fromMs)} is in the future`, EXIT.USAGE);
  // Nothing exists after now; the window ends there.
  return { fromMs, toMs: Math.min(toMs, nowMs) };
}

/** The refusal for a window that starts before the API's retention, naming the limit; undefined when it fits. */
export function retentionProblem(source: string, window: ReplayWindow, limit: RetentionLimit, nowMs: number): string | undefined {
  if (limit.maxAgeMs === undefined) return undefined;
  const oldest = nowMs - limit.maxAgeMs;
  if (window.fromMs >= oldest) return undefined;
  return `${source}: --from ${iso(window.fromMs)} is beyond what the API keeps: ${limit.statement} (${formatDuration(limit.maxAgeMs)}); the oldest time it can replay is ${iso(oldest)}`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
