import { describe, expect, it } from 'vitest';
import { CliExit } from '../../src/cli/context.js';
import { parseReplayTime, parseReplayWindow, retentionProblem } from '../../src/cli/replay-window.js';
import { retentionFromPeriod } from '../../src/sources/confluence-audit/retention.js';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;

describe('replay window flags', () => {
  it('reads ISO-8601 (offsets, dates, no offset = UTC), now, and durations before now', () => {
    expect(parseReplayTime('--from', '2026-05-19T14:00:00Z', NOW)).toBe(Date.parse('2026-05-19T14:00:00Z'));
    expect(parseReplayTime('--from', '2026-05-19T16:00:00+02:00', NOW)).toBe(Date.parse('2026-05-19T14:00:00Z'));
    expect(parseReplayTime('--from', '2026-05-19T14:00', NOW)).toBe(Date.parse('2026-05-19T14:00:00Z'));
    expect(parseReplayTime('--from', '2026-05-19', NOW)).toBe(Date.parse('2026-05-19T00:00:00Z'));
    expect(parseReplayTime('--to', 'now', NOW)).toBe(NOW);
    expect(parseReplayTime('--from', '7d', NOW)).toBe(NOW - 7 * DAY);
    expect(parseReplayTime('--from', '36h', NOW)).toBe(NOW - 36 * 3_600_000);
  });

  it('refuses what is not a time, a reversed window and a future start, as usage errors', () => {
    for (const [from, to] of [['last tuesday', 'now'], ['2026-13-45', 'now'], ['1d', '2d'], ['2026-07-01', '2026-08-01']] as const) {
      expect(() => parseReplayWindow(from, to, NOW)).toThrow(CliExit);
      try {
        parseReplayWindow(from, to, NOW);
      } catch (err) {
        expect((err as CliExit).exitCode).toBe(2);
      }
    }
  });

  it('ends the window at now', () => {
    expect(parseReplayWindow('1d', '2099-01-01', NOW)).toEqual({ fromMs: NOW - DAY, toMs: NOW });
  });

  it('names the limit when the window starts before the retention, and says nothing otherwise', () => {
    const limit = { maxAgeMs: 180 * DAY, statement: 'the organization audit log keeps 180 days' };
    expect(retentionProblem('acme-org', { fromMs: NOW - 181 * DAY, toMs: NOW }, limit, NOW)).toBe(
      'acme-org: --from 2025-12-02T12:00:00.000Z is beyond what the API keeps: the organization audit log keeps 180 days (180d); the oldest time it can replay is 2025-12-03T12:00:00.000Z',
    );
    expect(retentionProblem('acme-org', { fromMs: NOW - 179 * DAY, toMs: NOW }, limit, NOW)).toBeUndefined();
    expect(retentionProblem('acme-jira', { fromMs: 0, toMs: NOW }, { maxAgeMs: undefined, statement: 'none' }, NOW)).toBeUndefined();
  });

  it('converts Confluence RetentionPeriod units; FOREVER refuses nothing', () => {
    expect(retentionFromPeriod(90, 'DAYS').maxAgeMs).toBe(90 * DAY);
    expect(retentionFromPeriod(2, 'WEEKS').maxAgeMs).toBe(14 * DAY);
    expect(retentionFromPeriod(1, 'YEARS').maxAgeMs).toBe(Math.floor(365.2425 * DAY));
    expect(retentionFromPeriod(1, 'FOREVER')).toEqual({ maxAgeMs: undefined, statement: "the site's audit retention is 1 forever (/wiki/rest/api/audit/retention)" });
  });
});
