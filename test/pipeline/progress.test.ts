import { describe, expect, it } from 'vitest';
import { formatProgressLine, humanDuration } from '../../src/cli/progress-reporter.js';
import { BackfillProgress, logProgress, type ProgressReport } from '../../src/pipeline/progress.js';
import { MemoryLogger } from '../helpers/org-harness.js';

describe('backfill progress', () => {
  it('reports events so far, the event-time range and the rate every 10 s of a long cycle, and nothing for short ones', () => {
    let now = 1_000_000;
    const logger = new MemoryLogger();
    const progress = new BackfillProgress(logProgress(logger), 10_000, { now: () => now });
    const page = (firstMs: number) => Array.from({ length: 500 }, (_, i) => ({ timeMs: firstMs + i * 1_000 }));
    const T = Date.parse('2026-05-01T00:00:00Z');

    progress.committed('org', page(T));
    for (let i = 1; i <= 8; i++) {
      now += 1_200; // 50 requests a minute
      progress.committed('org', page(T + i * 500_000));
    }
    expect(logger.lines).toEqual([]); // 9.6 s since the first commit
    now += 1_200;
    progress.committed('org', page(T + 9 * 500_000));
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'info',
      msg: 'backfill progress',
      fields: {
        event: 'backfill.progress',
        source: 'org',
        delivered: 5_000,
        eventsFrom: '2026-05-01T00:00:00.000Z',
        eventsTo: new Date(T + 9 * 500_000 + 499_000).toISOString(),
        // the first page's fetch came before the window opened: 4 500 records in 10.8 s
        recordsPerSecond: 416.7,
        elapsedMs: 10_800,
      },
    });

    progress.cycleFinished('org');
    progress.committed('org', page(T));
    now += 60_000;
    progress.cycleFinished('org'); // a one-page poll never reports
    expect(logger.lines).toHaveLength(1);
  });

  it('places the position against the target and estimates the time left; a waiting source is still reported', () => {
    const T = Date.parse('2026-05-01T00:00:00Z');
    let now = T + 10 * 86_400_000; // the catch-up starts 10 days after its first event: that is the target
    const reports: ProgressReport[] = [];
    const progress = new BackfillProgress((r) => reports.push(r), 10_000, { now: () => now });
    progress.committed('org', [{ timeMs: T }]);
    now += 10_000;
    progress.committed('org', [{ timeMs: T + 2 * 86_400_000 }]); // 2 of 10 days in 10 s: 40 s to go
    expect(reports).toEqual([
      { source: 'org', delivered: 2, recordsPerSecond: 0.1, eventsFromMs: T, eventsToMs: T + 2 * 86_400_000, targetMs: T + 10 * 86_400_000, percent: 20, remainingMs: 40_000, elapsedMs: 10_000 },
    ]);
    // Held by a rate limit: no commit, but the timer's tick reports it, with a falling rate.
    now += 5_000;
    progress.tick();
    expect(reports).toHaveLength(1);
    now += 5_000;
    progress.tick();
    expect(reports[1]).toMatchObject({ delivered: 2, recordsPerSecond: 0, percent: 20, remainingMs: 80_000, elapsedMs: 20_000 });
    const line = formatProgressLine(reports[1]!);
    expect(line).toBe('org: 2 events, 0/s, at 2026-05-03 00:00:00Z of 2026-05-11 00:00:00Z (20.0%), about 1m 20s left');
    expect(line).not.toContain('\n');
    progress.cycleFinished('org');
    now += 60_000;
    progress.tick();
    expect(reports).toHaveLength(2);
  });

  it('reads durations as a person would', () => {
    expect([humanDuration(4_400), humanDuration(200_000), humanDuration(11_100_000), humanDuration(3 * 86_400_000)]).toEqual(['4s', '3m 20s', '3h 5m', '3d 0h']);
  });
});
