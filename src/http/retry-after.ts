/**
 * How long a 429/503 asks us to wait, from whichever header the response has:
 * `Retry-After` (delta-seconds or an HTTP-date, RFC 9110 §10.2.3) or Atlassian's
 * `X-RateLimit-Reset` (an ISO 8601 instant). Undefined when neither is usable.
 * Pure and table-tested; `nowMs` is injected.
 */
export function retryDelayFromHeaders(headers: Readonly<Record<string, string | string[] | undefined>>, nowMs: number): number | undefined {
  const retryAfter = first(headers['retry-after']);
  if (retryAfter !== undefined) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date) && /[a-z]/i.test(trimmed)) return Math.max(0, date - nowMs);
  }
  const reset = first(headers['x-ratelimit-reset']);
  if (reset !== undefined) {
    const at = Date.parse(reset.trim());
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  return undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The longest wait a server may ask for. A larger hint (`Retry-After: 1000000000`) is capped
 * here: the retry deadline, not the server, decides when to give up.
 */
export const MAX_SERVER_DELAY_MS = 15 * 60_000;

/**
 * How long to wait before the next attempt: the server's hint may lengthen the backoff, never
 * shorten it (`Retry-After: 0` or a past date must not turn retries into a busy loop), and is
 * capped at MAX_SERVER_DELAY_MS.
 */
export function retryWait(backoffMs: number, hintMs: number | undefined): number {
  return hintMs === undefined ? backoffMs : Math.max(backoffMs, Math.min(hintMs, MAX_SERVER_DELAY_MS));
}
