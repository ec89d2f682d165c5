/**
 * Faults through the real collector (otel-collector/*.yaml unchanged, environment only):
 * a SIGKILL while batches wait in the persistent queues, one destination down for a while, and
 * a collector that refuses because a destination's queue is full.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveredPerSource, runOnce, startAtlassian, writeReceiverConfig, type Atlassian } from './harness/atlassian.js';
import { expectExactlyOnce } from './harness/checks.js';
import { DESTINATIONS, startOtelcol, type Destination } from './harness/otelcol.js';
import { captureReference, waitUntil, type Reference } from './harness/reference.js';
import { standInErrors, startVendors, type Vendors } from './harness/vendors.js';
import type { UidTally } from './stand-ins/intake-server.js';

let atlassian: Atlassian;
let ref: Reference;
beforeAll(async () => {
  atlassian = await startAtlassian();
  ref = await captureReference(atlassian);
});
afterAll(async () => atlassian?.close());

function tally(v: Vendors, d: Destination): UidTally {
  switch (d) {
    case 'elastic-otel': return v.elasticsearch.uidsIn('logs-atlassian.audit.otel-default');
    case 'elastic-ecs': return v.elasticsearch.uidsIn('logs-atlassian.audit-default');
    case 'sumologic': return v.sumologic.uids;
    case 'sentinel': return v.azureMonitor.uids;
  }
}
const intakes = (v: Vendors) => [v.elasticsearch, v.sumologic, v.azureMonitor];
const total = () => atlassian.expectedRecords;

async function allArrive(v: Vendors, destinations: readonly Destination[], output: () => string, timeoutMs = 90_000): Promise<void> {
  for (const d of destinations) {
    await waitUntil(() => tally(v, d).counts.size >= total(), timeoutMs,
      () => `${d}: ${tally(v, d).counts.size} of ${total()} distinct records; stand-in errors ${JSON.stringify(standInErrors(v))}\n${output().slice(-4000)}`);
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
      for (const d of DESTINATIONS) expect(tally(vendors, d).total, `${d} received while down`).toBe(0);
      await otelcol.kill9();
      for (const i of intakes(vendors)) i.down = false;

      otelcol = await startOtelcol({ destinations: DESTINATIONS, env, stateDir: otelcol.stateDir, otlpPort: otelcol.otlpPort });
      await allArrive(vendors, DESTINATIONS, () => otelcol.output());
      await new Promise((r) => setTimeout(r, 2_000));
      for (const d of DESTINATIONS) {
        const t = tally(vendors, d);
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
      for (const d of others) expectExactlyOnce(tally(vendors, d), ref, d);
      expect(vendors.sumologic.uids.total).toBe(0);
      expect(vendors.sumologic.requests.filter((r) => r.status === 503).length, 'sumologic export attempts while down').toBeGreaterThan(0);

      vendors.sumologic.down = false;
      await allArrive(vendors, ['sumologic'], () => otelcol.output());
      expectExactlyOnce(vendors.sumologic.uids, ref, 'sumologic after the outage');
      console.log(`[collector faults] one down: sumologic refused ${vendors.sumologic.requests.filter((r) => r.status === 503).length} exports, then received ${vendors.sumologic.uids.total}; the others ${others.map((d) => `${d}=${tally(vendors, d).total}`).join(' ')}`);
    } finally {
      await otelcol.stop();
      await vendors.close();
    }
  });

  it('a full queue: the collector refuses, the receiver keeps its checkpoint, and catches up with nothing lost', async () => {
    const vendors = await startVendors();
    // A one-export queue per destination, so a short outage fills it.
    const otelcol = await startOtelcol({ destinations: ['sumologic'], env: { ...vendors.envFor(['sumologic']), OTELCOL_QUEUE_SIZE: '1' } });
    try {
      vendors.sumologic.down = true;
      // Small pages: many exports, more than the queue and its consumers hold.
      const config = writeReceiverConfig(atlassian, otelcol.otlpUrl, 3);
      const refused = await runOnce(config);
      expect(refused.code, 'once reports the sources the collector refused').not.toBe(0);
      expect(refused.stdout).toMatch(/FAILED/);
      const okBefore = Object.keys(deliveredPerSource(refused.stdout));
      console.log(`[collector faults] full queue: once exit ${String(refused.code)}; ${refused.stdout.trim().split('\n').join(' | ')}`);

      vendors.sumologic.down = false;
      await waitUntil(() => vendors.sumologic.requests.some((r) => r.status === 200), 30_000, () => 'sumologic never accepted after coming back');
      const caughtUp = await runOnce(config);
      expect(caughtUp.code, caughtUp.stdout + caughtUp.stderr).toBe(0);
      await allArrive(vendors, ['sumologic'], () => otelcol.output());
      const t = vendors.sumologic.uids;
      expect(t.uids()).toEqual([...ref.byUid.keys()].sort());
      console.log(`[collector faults] full queue: after catching up sumologic has ${t.counts.size} distinct of ${total()}, ${t.duplicates} duplicates (sources that had finished before the queue filled: ${okBefore.join(',') || 'none'})`);
      expect(Math.max(...t.counts.values())).toBeLessThanOrEqual(2);
    } finally {
      await otelcol.stop();
      await vendors.close();
    }
  });
});
