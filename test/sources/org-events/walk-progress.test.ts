// A walk that keeps getting pages it has already read must stop, however long it has run; it
// remembers only the last 10,000 to 20,000 ids so a long backfill does not hold every id read.
import { describe, expect, it } from 'vitest';
import { WalkProgress } from '../../../src/sources/org-events/walk-progress.js';

const ids = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `e-${from + i}`);

describe('WalkProgress', () => {
  it('moves on through fresh pages and stops at a page of events already read, with more to come', () => {
    const p = new WalkProgress(undefined);
    expect(p.check(ids(0, 500), 'c-1')).toBeUndefined();
    expect(p.check(ids(500, 500), 'c-2')).toBeUndefined();
    expect(p.check(ids(0, 500), 'c-3')).toMatch(/page of events already read in this walk/);
    // The last page may repeat what was read: the walk ends there anyway.
    expect(p.check(ids(500, 500), undefined)).toBeUndefined();
  });

  it('stops at a cursor already followed, including the one it resumed from', () => {
    const p = new WalkProgress('c-0');
    expect(p.check(ids(0, 2), 'c-1')).toBeUndefined();
    expect(p.check(ids(2, 2), 'c-0')).toMatch(/cursor \(meta\.next\) already followed/);
    expect(new WalkProgress(undefined).check(ids(0, 2), 'c-9')).toBeUndefined();
  });

  it('still recognises a page read 10,000 to 20,000 ids ago, after its memory rolled over, deep into a backfill', () => {
    const p = new WalkProgress(undefined);
    // 250,000 ids read: more than the 200,000 the walk used to hold at once.
    for (let page = 0; page < 500; page++) expect(p.check(ids(page * 500, 500), `c-${page}`)).toBeUndefined();
    const backfill = 500 * 500;
    // 19,500 ids back (39 pages): still remembered.
    expect(p.check(ids(backfill - 19_500, 500), 'again-1')).toMatch(/already read/);
    // A page mixing read and new events is progress.
    expect(p.check([...ids(backfill - 500, 250), ...ids(backfill, 250)], 'c-next')).toBeUndefined();
  });
});
