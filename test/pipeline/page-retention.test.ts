import { setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../src/checkpoint/memory-store.js';
import { RateLimiterRegistry } from '../../src/http/rate-limiter.js';
import { Permits } from '../../src/pipeline/permits.js';
import { runPollCycle } from '../../src/pipeline/poll-cycle.js';
import { SeenUids } from '../../src/pipeline/seen-uids.js';
import type { AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import type { DeliveryResult, LogSink } from '../../src/pipeline/sink.js';
import { OrgEventsSource } from '../../src/sources/org-events/source.js';
import { FAST_BACKOFF, MemoryLogger } from '../helpers/org-harness.js';
import { generateEvents, startOrgEventsServer, type OrgEventsServer } from '../helpers/org-events-server.js';

// A full collection on demand: the only way to see whether anything still reaches a page.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const servers: OrgEventsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/**
 * Delivers every batch, but holds the second one until `open()`: the source that delivered
 * the first then waits for its next turn in a page budget of one. Keeps only weak
 * references to what it was given.
 */
function gatedSink() {
  const batches: WeakRef<AuditLogRecord>[][] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let secondStarted!: () => void;
  const second = new Promise<void>((r) => (secondStarted = r));
  const sink: LogSink = {
    description: 'gated',
    async deliver(records): Promise<DeliveryResult> {
      batches.push(records.map((r) => new WeakRef(r)));
      if (batches.length === 2) {
        secondStarted();
        await gate;
      }
      return { status: 'accepted', rejected: 0 };
    },
    check: async () => ({ ok: true, detail: '' }),
    shutdown: async () => {},
  };
  return { sink, batches, open, second };
}

describe('page budget and memory', () => {
  it('a source waiting for its turn in the page budget keeps nothing of the pages it delivered', async () => {
    const logger = new MemoryLogger();
    const sources = [];
    for (const name of ['org-a', 'org-b']) {
      const server = await startOrgEventsServer({ orgId: name, apiKey: `key-${name}`, events: generateEvents(6, Date.parse('2026-01-01T00:00:00Z')) });
      servers.push(server);
      sources.push(new OrgEventsSource(
        { name, type: 'org-events', orgId: name, apiKey: `key-${name}`, baseUrl: server.url, pollInterval: 60_000, initialLookback: 3650 * 86_400_000, pageSize: 3, requestsPerMinute: 0, retryDeadline: 5_000, requestTimeout: 2_000 },
        { limiters: new RateLimiterRegistry(), logger, checkpointFile: name, backoff: FAST_BACKOFF },
      ));
    }
    const { sink, batches, open, second } = gatedSink();
    const deps = {
      store: new MemoryCheckpointStore(), sink, seen: new SeenUids(), logger, maxRetryTimeMs: 5_000,
      stop: new AbortController().signal, abort: new AbortController().signal, pageBudget: new Permits(1), readAhead: 1,
    };
    const cycles = Promise.all(sources.map((s) => runPollCycle(s, deps)));

    // One source delivered and committed its first page, the other holds the only place in the
    // budget (its export is held open), so the first waits in line for its next page.
    await second;
    await delay(50);
    gc();
    await delay(0);
    const first = batches[0] ?? [];
    expect(first.length).toBe(3);
    expect(first.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);

    open();
    const summaries = await cycles;
    expect(summaries.map((s) => s.delivered)).toEqual([6, 6]);
    expect(deps.pageBudget.highWater).toBe(1);
  });
});
