import { describe, expect, it } from 'vitest';
import { BoundedSink } from '../../src/pipeline/bounded-sink.js';
import { CheckpointWriter } from '../../src/pipeline/checkpoint-writer.js';
import { Permits } from '../../src/pipeline/permits.js';
import { ReadAhead } from '../../src/pipeline/read-ahead.js';
import type { DeliveryResult, LogSink } from '../../src/pipeline/sink.js';
import type { CheckpointState, SourcePage } from '../../src/pipeline/source.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

/** A source of `n` pages that records when each fetch starts. */
function pagesOf(n: number, started: number[], failAt?: number) {
  return (async function* (): AsyncGenerator<SourcePage> {
    for (let i = 1; i <= n; i++) {
      started.push(i);
      await tick();
      if (i === failAt) throw new Error(`page ${i} failed`);
      yield { records: [], checkpoint: { page: i } };
    }
  })();
}

describe('ReadAhead', () => {
  it('fetches the first page alone, then one ahead of delivery, in order; never more than 1 + ahead held', async () => {
    const started: number[] = [];
    const reader = new ReadAhead(pagesOf(5, started), { ahead: 1, signal: new AbortController().signal });
    const first = await reader.next();
    await tick();
    await tick();
    expect(started).toEqual([1]); // nothing ahead before the first page was committed
    reader.release();
    const got = [first?.checkpoint['page']];
    for (;;) {
      const page = await reader.next();
      if (!page) break;
      await tick();
      await tick();
      expect(started.length).toBeLessThanOrEqual(Number(page.checkpoint['page']) + 1);
      got.push(page.checkpoint['page']);
      reader.release();
    }
    expect(got).toEqual([1, 2, 3, 4, 5]);
    await reader.close();
  });

  it('hands over the source error in its place, after the pages before it', async () => {
    const reader = new ReadAhead(pagesOf(5, [], 3), { ahead: 2, signal: new AbortController().signal });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for (;;) {
          const page = await reader.next();
          if (!page) return;
          seen.push(page.checkpoint['page']);
          reader.release();
        }
      })(),
    ).rejects.toThrow('page 3 failed');
    expect(seen).toEqual([1, 2]);
    await reader.close();
  });

  it('shares a budget: with one permit a second source waits until the first releases', async () => {
    const budget = new Permits(1);
    const a = new ReadAhead(pagesOf(2, []), { ahead: 1, budget, signal: new AbortController().signal });
    const b = new ReadAhead(pagesOf(2, []), { ahead: 1, budget, signal: new AbortController().signal });
    const pa = await a.next();
    let bGot = false;
    const pb = b.next().then((p) => ((bGot = true), p));
    await tick();
    await tick();
    expect(pa).toBeDefined();
    expect(bGot).toBe(false);
    a.release();
    expect(await pb).toBeDefined();
    expect(budget.highWater).toBe(1);
    b.release();
    await a.close();
    await b.close();
  });
});

describe('Permits and BoundedSink', () => {
  it('never lets more than the bound deliver at once, and serves waiters in arrival order', async () => {
    let open = 0, most = 0;
    const order: number[] = [];
    const slow: LogSink = {
      description: 'slow',
      async deliver(records): Promise<DeliveryResult> {
        open++;
        most = Math.max(most, open);
        order.push(records.length);
        await tick();
        open--;
        return { status: 'accepted', rejected: 0 };
      },
      check: async () => ({ ok: true, detail: '' }),
      shutdown: async () => {},
    };
    const sink = new BoundedSink(slow, new Permits(2));
    const signal = new AbortController().signal;
    const batch = (n: number) => Array.from({ length: n }, () => ({}) as never);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => sink.deliver(batch(n), signal)));
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('an abort while waiting for a permit is a retryable "aborted", never a throw', async () => {
    const permits = new Permits(1);
    await permits.acquire();
    const aborter = new AbortController();
    const sink = new BoundedSink({ description: '', deliver: async () => ({ status: 'accepted', rejected: 0 }), check: async () => ({ ok: true, detail: '' }), shutdown: async () => {} }, permits);
    const pending = sink.deliver([], aborter.signal);
    aborter.abort();
    expect(await pending).toEqual({ status: 'retryable', reason: 'aborted' });
  });
});

describe('CheckpointWriter', () => {
  it('writes every checkpoint, fsyncs at most once per interval, and makes the last one durable at the end', async () => {
    const writes: { value: CheckpointState; durable: boolean }[] = [];
    const store = { set: async (_k: string, value: CheckpointState, o?: { durable?: boolean }) => void writes.push({ value, durable: o?.durable ?? true }), get: async () => undefined, delete: async () => {}, locate: () => '' };
    let now = 0;
    const writer = new CheckpointWriter(store, 'src', 1_000, () => now);
    for (let i = 1; i <= 5; i++) {
      now = i * 300;
      await writer.write({ n: i });
    }
    await writer.finish();
    expect(writes.map((w) => [w.value['n'], w.durable])).toEqual([[1, false], [2, false], [3, false], [4, true], [5, false], [5, true]]);
  });
});
