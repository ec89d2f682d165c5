/**
 * The real collector (built from test/collector/builder-config.yaml) with the repository's
 * otel-collector/*.yaml files, unchanged, between the receiver's `once` (org, Jira and
 * Confluence sources on loopback) and loopback stand-ins for each vendor's intake. Each
 * destination runs alone, then all of them together (Datadog as datadog-otlp.yaml; datadog.yaml
 * is not run: see builder-config.yaml); every destination must receive every record
 * exactly once, with the fields its users search on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtlassian, deliveredPerSource, runOnce, SOURCES, writeReceiverConfig, type Atlassian, type ReceiverOptions } from './harness/atlassian.js';
import { checkDatadog, checkElasticEcs, checkElasticOtel, checkOtlpAsSent, expectEverySourceCompared, sentinelParserKeys, summary, type Compared } from './harness/checks.js';
import { DESTINATIONS, startOtelcol, type Destination } from './harness/otelcol.js';
import { captureReference, waitUntil, type Reference } from './harness/reference.js';
import { SECRETS, standInErrors, startVendors, tallyOf, type Vendors } from './harness/vendors.js';

let atlassian: Atlassian;
let ref: Reference;
beforeAll(async () => {
  atlassian = await startAtlassian();
  ref = await captureReference(atlassian);
});
afterAll(async () => atlassian?.close());

/** How many records have reached a destination so far. */
const arrived = (v: Vendors, d: Destination): number => tallyOf(v, d).total;

function check(v: Vendors, d: Destination, reference: Reference): Map<string, Compared> {
  switch (d) {
    case 'datadog-otlp': {
      const c = checkDatadog(v.datadog, reference);
      expectEverySourceCompared(reference, c, ['evt.name', 'source', 'service', 'body']);
      // Not every source type carries a user or an address: compared on some record at least.
      for (const f of ['usr.id', 'usr.email', 'network.client.ip', 'evt.outcome']) {
        expect([...c.values()].reduce((n, x) => n + (x[f] ?? 0), 0), `${f} compared on no record`).toBeGreaterThan(0);
      }
      expect(v.datadog.unauthorized, 'requests without the dd-api-key').toBe(0);
      return c;
    }
    case 'elastic-ecs': {
      const c = checkElasticEcs(v.elasticsearch, reference);
      expectEverySourceCompared(reference, c, ['@timestamp', 'event.action', 'event.category', 'event.type', 'data_stream.dataset']);
      return c;
    }
    case 'elastic-otel': {
      const c = checkElasticOtel(v.elasticsearch, reference);
      expectEverySourceCompared(reference, c, ['attributes.*', 'body (raw record)']);
      return c;
    }
    case 'sumologic': {
      const c = checkOtlpAsSent(v.sumologic, reference, 'sumologic');
      expectEverySourceCompared(reference, c, ['log.record.uid', 'body', 'timestamp', 'service.name']);
      return c;
    }
    case 'sentinel': {
      const c = checkOtlpAsSent(v.azureMonitor, reference, 'sentinel', sentinelParserKeys());
      expectEverySourceCompared(reference, c, ['log.record.uid', 'atlassian.product', 'body', 'timestamp']);
      expect(v.entra.issued.size, 'tokens issued by the Entra ID stand-in').toBeGreaterThan(0);
      expect(v.entra.refused).toEqual([]);
      expect(v.azureMonitor.unauthorized, 'requests without a valid bearer token').toBe(0);
      return c;
    }
  }
}

const RUNS: (readonly Destination[])[] = [...DESTINATIONS.map((d) => [d]), DESTINATIONS];

describe.each(RUNS.map((ds) => [ds.join(' + '), ds] as const))('base.yaml + %s', (_name, destinations) => {
  it('delivers every record exactly once with the fields its users search on', async () => {
    await deliverTo(destinations);
  });
});

// exporter.bodyFormat: json, every destination at once: the body arrives as the same JSON
// text the receiver sent (Elasticsearch: body.text), every other field as with the map body.
describe('base.yaml + every destination, exporter.bodyFormat: json', () => {
  it('delivers every record exactly once with the body as JSON text', async () => {
    const jsonRef = await captureReference(atlassian, { bodyFormat: 'json' });
    for (const r of jsonRef.byUid.values()) expect(JSON.parse(r.body as string)).toEqual(ref.byUid.get(String(r.attributes['log.record.uid']))!.body);
    await deliverTo(DESTINATIONS, jsonRef, { bodyFormat: 'json' });
  });
});

async function deliverTo(destinations: readonly Destination[], reference: Reference = ref, o?: ReceiverOptions): Promise<void> {
  const vendors = await startVendors();
  const otelcol = await startOtelcol({ destinations, env: vendors.envFor(destinations) });
  try {
    const result = await runOnce(writeReceiverConfig(atlassian, otelcol.otlpUrl, o));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const delivered = deliveredPerSource(result.stdout);
    expect(Object.keys(delivered).sort()).toEqual([...SOURCES].sort());
    expect(Object.values(delivered).reduce((a, b) => a + b, 0)).toBe(atlassian.expectedRecords);

    for (const d of destinations) {
      await waitUntil(() => arrived(vendors, d) >= atlassian.expectedRecords, 60_000,
        () => `${d}: ${arrived(vendors, d)} of ${atlassian.expectedRecords} records after 60 s; stand-in errors ${JSON.stringify(standInErrors(vendors))}\n${otelcol.output().slice(-4000)}`);
    }
    // Give late duplicates a moment to show up before counting.
    await new Promise((r) => setTimeout(r, 1_000));
    for (const d of destinations) console.log(`[collector e2e] ${d} (run: ${destinations.join('+')}): ${arrived(vendors, d)} records\n${summary(d, check(vendors, d, reference))}`);
    expect(standInErrors(vendors)).toEqual([]);
    const output = otelcol.output();
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  } finally {
    await otelcol.stop();
    await vendors.close();
  }
}
