// Several `once --shard INDEX/COUNT` processes over the same 30 org sources, each with its own
// state directory (as StatefulSet replicas have their own volume): together they deliver
// every record exactly once, no source runs in two shards, and the split does not depend on
// the order of the sources in the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvents, startOrgEventsServer, type OrgEventsServer } from '../helpers/org-events-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';
import { runCli, writeConfig } from '../helpers/cli.js';

const KEY = 'shard-api-key-SECRET';
const SOURCES = 30;
const SHARDS = 3;
const env = { TEST_ORG_API_KEY: KEY };
const orgs: { name: string; orgId: string; server: OrgEventsServer; uids: string[] }[] = [];
let collector: TestCollector;

beforeAll(async () => {
  collector = await startCollector();
  for (let i = 0; i < SOURCES; i++) {
    const orgId = `org-shard-${i}`;
    // 4 to 10 events each, pages of 3: most sources take several pages.
    const events = generateEvents(4 + (i % 7), Date.parse('2026-05-01T00:00:00Z') + i * 3_600_000);
    const server = await startOrgEventsServer({ orgId, apiKey: KEY, events });
    orgs.push({ name: `tenant-${i}`, orgId, server, uids: events.map((e) => `${orgId}:${e.id}`) });
  }
});
afterAll(async () => {
  await collector.close();
  await Promise.all(orgs.map((o) => o.server.close()));
});

function config(order: typeof orgs, extra = ''): string {
  return `state:
  directory: ./state
exporter:
  endpoint: ${collector.url}
  timeout: 5s
  maxRetryTime: 20s
${extra}sources:
${order.map((o) => `  - name: ${o.name}
    type: org-events
    orgId: ${o.orgId}
    apiKey: \${TEST_ORG_API_KEY}
    baseUrl: ${o.server.url}
    pageSize: 3
    initialLookback: 3650d
    requestsPerMinute: 0
`).join('')}`;
}

/** The sources a shard process said it runs (its `receiver.shard` log line). */
function shardSources(stderr: string): string[] {
  const line = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['event'] === 'receiver.shard');
  return (line?.['sources'] as string[] | undefined) ?? [];
}

describe('--shard INDEX/COUNT', () => {
  it(`${SHARDS} shard processes over ${SOURCES} sources deliver every record exactly once, each source in one shard`, { timeout: 120_000 }, async () => {
    const runs = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) => runCli(['once', '--shard', `${i}/${SHARDS}`, '--config', writeConfig(config(orgs)).file], { env, timeoutMs: 90_000 })),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const perShard = runs.map((r) => shardSources(r.stderr));
    // No overlap, no gap, and every shard has work (30 names over 3 shards).
    expect(perShard.flat().sort()).toEqual(orgs.map((o) => o.name).sort());
    for (const names of perShard) expect(names.length).toBeGreaterThan(0);
    const got = collector.records.map((r) => String(r.attributes['log.record.uid']));
    expect(got.length).toBe(new Set(got).size);
    expect(got.sort()).toEqual(orgs.flatMap((o) => o.uids).sort());
    // Each process exported only its own sources' records.
    const summaries = runs.map((r) => r.stdout.trim().split('\n').map((l) => l.split(':')[0]));
    expect(summaries).toEqual(perShard);

    // The split depends on the names only: reversed order, the config's `shard:` key instead of the flag.
    const again = await runCli(['once', '--config', writeConfig(config([...orgs].reverse(), 'shard: 1/3\n')).file], { env, timeoutMs: 90_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(shardSources(again.stderr).sort()).toEqual([...perShard[1]!].sort());
  });

  it('refuses a malformed --shard with one line naming the option', async () => {
    const { file } = writeConfig(config(orgs.slice(0, 1)));
    for (const bad of ['3/3', 'x/2', '1']) {
      const r = await runCli(['once', '--shard', bad, '--config', file], { env });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^atlassian-audit-receiver: --shard: /);
    }
    const inFile = await runCli(['once', '--config', writeConfig(config(orgs.slice(0, 1), 'shard: 2/2\n')).file], { env });
    expect(inFile.code).toBe(2);
    expect(inFile.stderr).toContain('shard');
    expect(inFile.stderr).toContain('INDEX must be from 0 to 1');
  });
});
