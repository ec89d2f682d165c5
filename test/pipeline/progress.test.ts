import { describe, expect, it } from 'vitest';
import { BackfillProgress } from '../../src/pipeline/progress.js';
import { MemoryLogger } from '../helpers/org-harness.js';

describe('backfill progress', () => {
  it('reports events so far, the event-time range and the rate every 10 s of a long cycle, and nothing for short ones', () => {
    let now = 1_000_000;
    const logger = new MemoryLogger();
    const progress = new BackfillProgress(logger, 10_000, { now: () => now });
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
});
