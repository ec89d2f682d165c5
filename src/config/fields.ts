import * as z from '../util/zod.js';
import { parseDuration } from './duration.js';
import { rangeMessage, type DurationRange } from './duration-ranges.js';

/** A duration string (`30s`, `5m`, `24h`) parsed to milliseconds, inside `range` (duration-ranges.ts). */
export const duration = (range: DurationRange) =>
  z.string({ error: 'must be a duration such as 30s, 5m or 24h' }).transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 5m or 24h' });
      return z.NEVER;
    }
    if (ms < range.min || ms > range.max) {
      ctx.addIssue({ code: 'custom', message: rangeMessage(range) });
      return z.NEVER;
    }
    return ms;
  });

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Where plain http:// may go. `loopback`: Atlassian API URLs (https only, loopback for tests and
 * local relays). `anywhere`: the collector, as the OTel SDKs allow (start-up warns off loopback).
 */
export type PlainHttp = 'loopback' | 'anywhere';

/** Problem with a URL under the receiver's transport rule, or undefined when fine. */
export function urlProblem(text: string, plainHttp: PlainHttp = 'loopback'): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL such as https://example.com';
  }
  if (url.username || url.password) return 'must not carry credentials; use the auth settings';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return plainHttp === 'anywhere' || isLoopbackHost(url.hostname) ? undefined : 'plain http:// is allowed only for loopback hosts; use https://';
  }
  // `collector:4318` parses as a URL whose scheme is "collector:".
  return 'must be an http(s) URL with its scheme, e.g. https://collector.example.com:4318';
}

/** True for a plain-http URL to a host other than loopback (said once at start-up for the collector). */
export function isPlainHttpOffLoopback(text: string): boolean {
  const url = new URL(text);
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}

/** An https URL, or plain http where `plainHttp` allows it. Trailing slashes are dropped. */
export const httpUrl = (plainHttp: PlainHttp = 'loopback') =>
  z.string({ error: 'must be a URL' }).superRefine((text, ctx) => {
    const problem = urlProblem(text, plainHttp);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).transform((text) => (/[?#]/.test(text) ? text : text.replace(/\/+$/, '')));

/** A secret: required, non-empty; its value never appears in a message. */
export const secret = (what: string) =>
  z.string({ error: `${what} is required` }).min(1, { error: `${what} is empty` });

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO-8601 date or date-time with an offset (`2027-05-01`, `2027-05-01T12:00:00Z`), as epoch ms. */
export const isoTime = () =>
  z.string({ error: 'must be an ISO-8601 date or time such as 2027-05-01 or 2027-05-01T12:00:00Z' }).transform((text, ctx) => {
    const trimmed = text.trim();
    const hasTime = trimmed.length > 10;
    const ms = ISO_TIME.test(trimmed) && (!hasTime || /(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) ? Date.parse(trimmed) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or time with an offset, such as 2027-05-01 or 2027-05-01T12:00:00Z' });
      return z.NEVER;
    }
    return ms;
  });
