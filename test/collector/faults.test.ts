/**
 * Faults through the real collector (otel-collector/*.yaml unchanged, environment only):
 * a SIGKILL while batches wait in the persistent queues, one destination down for a while, and
 * a collector that refuses: its memory_limiter over the limit, or a destination's queue full.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveredPerSource, runOnce, startAtlassian, writeReceiverConfig, type Atlassian } from './harness/atlassian.js';
import { expectExactlyOnce } from './harness/checks.js';
import { DESTINATIONS, startOtelcol, type Destination } from './harness/otelcol.js';
import { captureReference, waitUntil, type Reference } from './harness/reference.js';
import { standInErrors, startVendors, tallyOf, type Vendors } from './harness/vendors.js';

let atlassian: Atlassian;
let ref: Reference;
beforeAll(async () => {
  atlassian = await startAtlassian();
  ref = await captureReference(atlassian);
});
afterAll(async () => atlassian?.close());

/** Waits until no delivery arrived for 8 s (longer than a batch flush), so counts are final. */
async function settled(v: Vendors, destinations: readonly Destination[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = -1;
  for (;;) {
    const now = destinations.reduce((n, d) => n + tallyOf(v, d).total, 0);
    if (now === last || Date.now() > deadline) return;
    last = now;
    await new Promise((r) => setTimeout(r, 8_000));
  }
}
const intakes = (v: Vendors) => [v.datadog, v.elasticsearch, v.sumologic, v.azureMonitor];
const total = () => atlassian.expectedRecords;

async function allArrive(v: Vendors, destinations: readonly Destination[], output: () => string, timeoutMs = 90_000): Promise<void> {
  for (const d of destinations) {
    await waitUntil(() => tallyOf(v, d).counts.size >= total(), timeoutMs,
      () => `${d}: ${tallyOf(v, d).counts.size} of ${total()} distinct records; stand-in errors ${JSON.stringify(standInErrors(v))}\n${output().slice(-4000)}`);
  }
}

describe('the real collector under faults', () => {
  it('SIGKILL with batches queued for vendors that are down: after a restart the persistent queues deliver all of them', async () => {
    const vendors = await startVendors();
    const env = vendors.envFor(DESTINATIONS);
    let otelcol = await startOtelcol({ destinations: DESTINATIONS, env });
    try {
      for (const i of intakes(vendors)) i.down = true;
      const config = writeReceiverConfig(atlassian, otelcol.otlpUrl);
      const once = await runOnce(config);
      expect(once.code, once.stdout + once.stderr).toBe(0);
      expect(Object.values(deliveredPerSource(once.stdout)).reduce((a, b) => a + b, 0)).toBe(total());
      // Let the exporters try (and fail) against the held-down vendors, then kill without a flush.
      await new Promise((r) => setTimeout(r, 7_000));
      for (const d of DESTINATIONS) expect(tallyOf(vendors, d).total, `${d} received while down`).toBe(0);
      // An exporter that gives up on a batch while its vendor is down loses it: the receiver has moved on.
      expect(otelcol.output().split('\n').filter((l) => l.includes('Dropping data'))).toEqual([]);
      await otelcol.kill9();
      for (const i of intakes(vendors)) i.down = false;

      otelcol = await startOtelcol({ destinations: DESTINATIONS, env, stateDir: otelcol.stateDir, otlpPort: otelcol.otlpPort });
      await allArrive(vendors, DESTINATIONS, () => otelcol.output());
      await settled(vendors, DESTINATIONS);
      for (const d of DESTINATIONS) {
        const t = tallyOf(vendors, d);
        console.log(`[collector faults] SIGKILL: ${d}: ${t.counts.size} distinct of ${total()}, ${t.duplicates} duplicates`);
        expect(t.uids(), d).toEqual([...ref.byUid.keys()].sort());
        // README: after a crash or outage a destination may see a record twice, never more.
        expect(Math.max(...t.counts.values()), `${d}: most deliveries of one record`).toBeLessThanOrEqual(2);
      }
      // The receiver's checkpoint had moved: nothing is read or sent again.
      const again = await runOnce(config);
      expect(again.code, again.stderr).toBe(0);
      expect(Object.values(deliveredPerSource(again.stdout)).every((n) => n === 0)).toBe(true);
      expect(standInErrors(vendors)).toEqual([]);
    } finally {
      await otelcol.stop();
      await vendors.close();
    }
  });

  it('one destination down for a while: the others receive everything meanwhile, it catches up afterwards', async () => {
    const vendors = await startVendors();
    const otelcol = await startOtelcol({ destinations: DESTINATIONS, env: vendors.envFor(DESTINATIONS) });
    try {
      vendors.sumologic.down = true;
      const once = await runOnce(writeReceiverConfig(atlassian, otelcol.otlpUrl));
      expect(once.code, once.stdout + once.stderr).toBe(0);
      const others = DESTINATIONS.filter((d) => d !== 'sumologic');
      await allArrive(vendors, others, () => otelcol.output());
      for (const d of others) expectExactlyOnce(tallyOf(vendors, d), ref, d);
      expect(vendors.sumologic.uids.total).toBe(0);
      expect(vendors.sumologic.requests.filter((r) => r.status === 503).length, 'sumologic export attempts while down').toBeGreaterThan(0);

      vendors.sumologic.down = false;
      await allArrive(vendors, ['sumologic'], () => otelcol.output());
      expectExactlyOnce(vendors.sumologic.uids, ref, 'sumologic after the outage');
      console.log(`[collector faults] one down: sumologic refused ${vendors.sumologic.requests.filter((r) => r.status === 503).length} exports, then received ${vendors.sumologic.uids.total}; the others ${others.map((d) => `${d}=${tallyOf(vendors, d).total}`).join(' ')}`);
    } finally {
      await otelcol.stop();
      await vendors.close();
    }
  });

  it('memory_limiter refuses: the receiver keeps its checkpoint and, once the collector accepts again, delivers everything once', async () => {
    const vendors = await startVendors();
    const env = vendors.envFor(['sumologic']);
    // A limit far below what the collector itself uses: the memory_limiter refuses every batch.
    let otelcol = await startOtelcol({ destinations: ['sumologic'], env: { ...env, OTELCOL_MEMORY_LIMIT_MIB: '2' } });
    try {
      // It checks once a second; refusing starts at the first check that finds the heap over the limit.
      await waitUntil(() => otelcol.output().includes('Refusing data'), 30_000, () => `the memory_limiter never refused:\n${otelcol.output().slice(-3000)}`);
      const config = writeReceiverConfig(atlassian, otelcol.otlpUrl);
      const refused = await runOnce(config);
      console.log(`[collector faults] memory_limiter: once exit ${String(refused.code)}: ${refused.stdout.trim().split('\n').join(' | ')}`);
      expect(refused.code, 'once reports the sources the collector refused').not.toBe(0);
      expect(refused.stdout).toMatch(/FAILED/);
      expect(vendors.sumologic.uids.total, 'nothing got past the memory_limiter').toBe(0);

      await otelcol.stop();
      otelcol = await startOtelcol({ destinations: ['sumologic'], env, stateDir: otelcol.stateDir, otlpPort: otelcol.otlpPort });
      const again = await runOnce(config);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      // The refused run moved no checkpoint: this run reads and sends every record.
      expect(Object.values(deliveredPerSource(again.stdout)).reduce((a, b) => a + b, 0)).toBe(total());
      await allArrive(vendors, ['sumologic'], () => otelcol.output());
      await settled(vendors, ['sumologic']);
      expectExactlyOnce(vendors.sumologic.uids, ref, 'sumologic after the memory_limiter refused');
      console.log(`[collector faults] memory_limiter: refused run delivered 0; the next run ${vendors.sumologic.uids.total} of ${total()}, ${vendors.sumologic.uids.duplicates} duplicates`);
      expect(standInErrors(vendors)).toEqual([]);
    } finally {
      await otelcol.stop();
      await vendors.close();
    }
  });

  it('a full queue: the collector refuses, the receiver keeps its checkpoint, and catches up with nothing lost', async () => {
    const vendors = await startVendors();
    // One batch sent at a time and one export queued: a short outage fills that.
    const env = { ...vendors.envFor(['sumologic']), OTELCOL_QUEUE_SIZE: '1', OTELCOL_QUEUE_CONSUMERS: '1' };
    const otelcol = await startOtelcol({ destinations: ['sumologic'], env });
    try {
      vendors.sumologic.down = true;
      // The Jira records are accepted; once their batch is flushed its export retries against the
      // held-down intake and occupies the only consumer.
      const jiraOnly = await runOnce(writeReceiverConfig(atlassian, otelcol.otlpUrl, { only: ['acme-jira'] }));
      expect(jiraOnly.code, jiraOnly.stdout + jiraOnly.stderr).toBe(0);
      await waitUntil(() => vendors.sumologic.requests.some((r) => r.status === 503), 30_000, () => 'the queued batch was never sent');

      // Everything, in small pages: one export fits in the queue, the next is refused.
      const config = writeReceiverConfig(atlassian, otelcol.otlpUrl, { pageSize: 3 });
      const refused = await runOnce(config);
      console.log(`[collector faults] full queue: once exit ${String(refused.code)}: ${refused.stdout.trim().split('\n').join(' | ')}`);
      expect(refused.code, 'once reports the sources the collector refused').not.toBe(0);
      expect(refused.stdout).toMatch(/FAILED/);

      vendors.sumologic.down = false;
      await waitUntil(() => vendors.sumologic.requests.some((r) => r.status === 200), 30_000, () => 'sumologic never accepted after coming back');
      // Catching up through a one-export queue goes one batch per flush (5 s): use bigger pages.
      writeFileSync(config, readFileSync(config, 'utf8').replace(/pageSize: 3\n/g, 'pageSize: 25\n'));
      // The one-export queue still refuses at times: rerun as the next poll of `run` would, each
      // run continuing from the checkpoints the last one kept.
      let caughtUp = await runOnce(config, 180_000);
      let runs = 1;
      for (; caughtUp.code !== 0 && runs < 6; runs++) caughtUp = await runOnce(config, 180_000);
      expect(caughtUp.code, caughtUp.stdout + caughtUp.stderr).toBe(0);
      await allArrive(vendors, ['sumologic'], () => otelcol.output());
      await settled(vendors, ['sumologic']);
      const t = vendors.sumologic.uids;
      expect(t.uids()).toEqual([...ref.byUid.keys()].sort());
      // The Jira records came from two receiver state dirs (the first run and the full one).
      console.log(`[collector faults] full queue: caught up in ${runs} more once run(s); sumologic has ${t.counts.size} distinct of ${total()}, ${t.duplicates} deliveries more than once`);
      expect(Math.max(...t.counts.values())).toBeLessThanOrEqual(2);
    } finally {
      await otelcol.stop();
      await vendors.close();
    }
  });
});
