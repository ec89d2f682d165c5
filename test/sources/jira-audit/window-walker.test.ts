import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log/pino-logger.js';
import { Severity } from '../../../src/pipeline/audit-log-record.js';
import type { SourcePage } from '../../../src/pipeline/source.js';
import { windowCheckpointSchema, type WindowCheckpoint } from '../../../src/sources/windowed/window-checkpoint.js';
import { walkWindows, type WalkOptions, type WindowedApi, type WindowItem } from '../../../src/sources/windowed/window-walker.js';
import { TestClock } from './pipeline-harness.js';

/** An in-memory newest-first API with the contract collect() promises (the HTTP paging is tested elsewhere). */
class MemoryApi implements WindowedApi {
  readonly records: { key: string; t: number }[] = [];
  readonly held: number[] = [];

  collect(from: number, to: number, cap: number): Promise<WindowItem[] | undefined> {
    const inRange = this.records.filter((r) => r.t >= from && r.t <= to).sort((a, b) => b.t - a.t);
    if (inRange.length > cap) return Promise.resolve(undefined);
    this.held.push(inRange.length);
    return Promise.resolve(inRange.map((r) => ({ key: r.key, timeMs: r.t, raw: r })));
  }

  toRecord(item: WindowItem, observedMs: number) {
    return { uid: item.key, timeMs: item.timeMs ?? 0, observedMs, eventName: 'e', severity: Severity.INFO, body: null, attributes: {} };
  }
}

const ctx = { signal: new AbortController().signal, logger: silentLogger };
const NOW = 10_000_000;

function options(clock: TestClock, extra: Partial<WalkOptions> = {}): WalkOptions {
  return { api: 'test', pageSize: 5, settleMs: 1_000, overlapMs: 60_000, initialLookbackMs: 5_000_000, clock, ...extra };
}

/** One poll; `crashAfter` pages are committed, then the process "dies". */
async function poll(api: MemoryApi, stored: WindowCheckpoint | undefined, opts: WalkOptions, crashAfter = Number.POSITIVE_INFINITY) {
  const pages: SourcePage[] = [];
  let checkpoint = stored;
  for await (const page of walkWindows(stored, api, opts, ctx)) {
    if (pages.length >= crashAfter) break;
    pages.push(page);
    checkpoint = windowCheckpointSchema.parse(JSON.parse(JSON.stringify(page.checkpoint)));
  }
  return { pages, checkpoint, uids: pages.flatMap((p) => p.records.map((r) => r.uid)) };
}

describe('walkWindows', () => {
  it('delivers ascending pages of pageSize and ends the window with an overlap', async () => {
    const api = new MemoryApi();
    for (let i = 0; i < 12; i++) api.records.push({ key: `k${i}`, t: NOW - 100_000 + i * 1_000 });
    const clock = new TestClock(NOW);
    const { pages, checkpoint, uids } = await poll(api, undefined, options(clock));
    expect(pages.map((p) => p.records.length)).toEqual([5, 5, 2]);
    expect(uids).toEqual(api.records.map((r) => r.key));
    expect(pages[0]!.checkpoint).toMatchObject({ from: NOW - 100_000 + 4_000, to: NOW - 1_000 });
    expect(checkpoint).toMatchObject({ from: NOW - 1_000 - 60_000 });
    expect(checkpoint!.to).toBeUndefined();
    // Only ids inside the overlap are remembered.
    expect(checkpoint!.sent.every(([, t]) => t >= NOW - 61_000)).toBe(true);
  });

  it('never holds more than 10 x pageSize records, halving dense windows', async () => {
    const api = new MemoryApi();
    for (let i = 0; i < 400; i++) api.records.push({ key: `k${i}`, t: NOW - 400_000 + i * 997 });
    const { uids } = await poll(api, undefined, options(new TestClock(NOW)));
    expect(Math.max(...api.held)).toBeLessThanOrEqual(50);
    expect(new Set(uids).size).toBe(400);
    expect(uids).toEqual(api.records.map((r) => r.key));
  });

  it('caps the keys the checkpoint remembers', async () => {
    const api = new MemoryApi();
    for (let i = 0; i < 30; i++) api.records.push({ key: `k${i}`, t: NOW - 30_000 + i * 100 });
    const { checkpoint } = await poll(api, undefined, options(new TestClock(NOW), { maxSentKeys: 4 }));
    expect(checkpoint!.sent.map(([key]) => key)).toEqual(['k26', 'k27', 'k28', 'k29']);
  });

  it('holds a single crowded millisecond whole rather than splitting it', async () => {
    const api = new MemoryApi();
    for (let i = 0; i < 120; i++) api.records.push({ key: `same${i}`, t: NOW - 50_000 });
    const { uids } = await poll(api, undefined, options(new TestClock(NOW)));
    expect(new Set(uids).size).toBe(120);
  });

  it('records where to start when nothing has settled yet (no lookback)', async () => {
    const api = new MemoryApi();
    const clock = new TestClock(NOW);
    const first = await poll(api, undefined, options(clock, { initialLookbackMs: 0 }));
    expect(first.pages).toHaveLength(1);
    expect(first.checkpoint).toMatchObject({ from: NOW });
    api.records.push({ key: 'later', t: NOW + 10_000 });
    clock.nowMs += 60_000;
    expect((await poll(api, first.checkpoint, options(clock))).uids).toEqual(['later']);
  });

  it('finishes a window a restart left half done, then walks a fresh one', async () => {
    const api = new MemoryApi();
    for (let i = 0; i < 20; i++) api.records.push({ key: `k${i}`, t: NOW - 200_000 + i * 5_000 });
    const clock = new TestClock(NOW);
    const crashed = await poll(api, undefined, options(clock), 2);
    expect(crashed.checkpoint!.to).toBe(NOW - 1_000);
    api.records.push({ key: 'new', t: NOW + 30_000 });
    clock.nowMs += 60_000;
    const resumed = await poll(api, crashed.checkpoint, options(clock));
    expect([...crashed.uids, ...resumed.uids]).toEqual([...api.records.map((r) => r.key)]);
  });

  it('property: any records, page sizes and crash points give every record exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 120 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }),
        async (offsets, pageSize, crashes) => {
          const api = new MemoryApi();
          offsets.forEach((o, i) => api.records.push({ key: `r${i}`, t: NOW - 300_000 + o }));
          const clock = new TestClock(NOW);
          const opts = options(clock, { pageSize, overlapMs: 20_000 });
          const delivered: string[] = [];
          let checkpoint: WindowCheckpoint | undefined;
          for (const crashAfter of [...crashes, Number.POSITIVE_INFINITY]) {
            const run = await poll(api, checkpoint, opts, crashAfter);
            delivered.push(...run.uids);
            checkpoint = run.checkpoint;
            const times = run.pages.flatMap((p) => p.records.map((r) => r.timeMs));
            expect(times).toEqual([...times].sort((a, b) => a - b));
          }
          // Records in the last second had not settled; a later poll takes them.
          clock.nowMs += 2_000;
          delivered.push(...(await poll(api, checkpoint, opts)).uids);
          expect(delivered.sort()).toEqual(api.records.map((r) => r.key).sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: records that appear late, within settle + overlap of their time, are delivered exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ age: fc.integer({ min: 0, max: 49_000 }), pollIndex: fc.integer({ min: 0, max: 5 }) }), { maxLength: 60 }),
        async (arrivals) => {
          const api = new MemoryApi();
          const clock = new TestClock(NOW);
          // settle 1s + overlap 50s: anything indexed up to 50s after its time must still arrive.
          const opts = options(clock, { overlapMs: 50_000, pageSize: 3 });
          const delivered: string[] = [];
          let checkpoint: WindowCheckpoint | undefined;
          for (let p = 0; p <= 6; p++) {
            arrivals.forEach((a, i) => {
              if (a.pollIndex === p) api.records.push({ key: `late${i}`, t: clock.nowMs - a.age });
            });
            const run = await poll(api, checkpoint, opts);
            delivered.push(...run.uids);
            checkpoint = run.checkpoint;
            clock.nowMs += 10_000;
          }
          expect(delivered.sort()).toEqual(api.records.map((r) => r.key).sort());
        },
      ),
      { numRuns: 150 },
    );
  });
});
