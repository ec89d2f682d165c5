import { describe, expect, it } from 'vitest';
import { retryDelayFromHeaders } from '../../src/http/retry-after.js';

const NOW = Date.parse('2026-05-19T10:00:00.000Z');

describe('retryDelayFromHeaders', () => {
  const cases: [string, Record<string, string | string[] | undefined>, number | undefined][] = [
    ['delta seconds', { 'retry-after': '7' }, 7_000],
    ['fractional seconds', { 'retry-after': '1.5' }, 1_500],
    ['zero', { 'retry-after': '0' }, 0],
    ['HTTP-date in the future', { 'retry-after': 'Tue, 19 May 2026 10:00:30 GMT' }, 30_000],
    ['HTTP-date in the past clamps to zero', { 'retry-after': 'Tue, 19 May 2026 09:59:00 GMT' }, 0],
    ['X-RateLimit-Reset ISO 8601', { 'x-ratelimit-reset': '2026-05-19T10:00:12Z' }, 12_000],
    ['X-RateLimit-Reset with offset', { 'x-ratelimit-reset': '2026-05-19T12:00:05+02:00' }, 5_000],
    ['Retry-After wins over X-RateLimit-Reset', { 'retry-after': '3', 'x-ratelimit-reset': '2026-05-19T10:01:00Z' }, 3_000],
    ['garbage Retry-After falls back to X-RateLimit-Reset', { 'retry-after': 'soon', 'x-ratelimit-reset': '2026-05-19T10:00:02Z' }, 2_000],
    ['garbage everywhere', { 'retry-after': 'soon', 'x-ratelimit-reset': 'later' }, undefined],
    ['negative seconds are not a delay', { 'retry-after': '-5' }, undefined],
    ['a bare number is not a date', { 'x-ratelimit-reset': 'abc' }, undefined],
    ['repeated header uses the first', { 'retry-after': ['4', '9'] }, 4_000],
    ['no headers', {}, undefined],
  ];
  it.each(cases)('%s', (_name, headers, expected) => {
    expect(retryDelayFromHeaders(headers, NOW)).toBe(expected);
  });
});
