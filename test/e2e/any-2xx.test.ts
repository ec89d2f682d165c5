/**
 * Any OTLP agent, not only the Collector: Fluent Bit's `opentelemetry` input answers 201 by
 * default, some proxies answer 204. The OTLP/HTTP spec's success is any 2xx; the receiver must
 * count those batches as accepted and move its checkpoint.
 */
import { describe, expect, it } from 'vitest';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';

const ORG = '00000000-0000-0000-0000-0000000002a0';
const KEY = 'org-api-key-2xx-51c0';
const servers = useOrgServers(ORG, KEY);

describe('an OTLP endpoint answering 2xx other than 200', () => {
  it.each([201, 204])('counts %i with an empty body as accepted: every record once, checkpoint moved', async (status) => {
    servers.collector.enqueue(...Array.from({ length: 50 }, () => ({ status, body: '' })));
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }));
    const first = await runCli(['once', '--config', file], { env: { TEST_ORG_API_KEY: KEY } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^acme-org: ok delivered=${fixtureEvents().length} `, 'm'));
    const exports = servers.collector.requests.filter((r) => r.path === '/v1/logs');
    expect(exports.length).toBeGreaterThan(1);
    expect(exports.every((r) => r.status === status)).toBe(true);
    expect(servers.collector.records.map((r) => r.attributes['log.record.uid']).sort()).toEqual(fixtureEvents().map((e) => `${ORG}:${e.id}`).sort());

    // The checkpoint moved: a second run finds nothing new and sends nothing.
    const second = await runCli(['once', '--config', file], { env: { TEST_ORG_API_KEY: KEY } });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^acme-org: ok delivered=0 /m);
    expect(servers.collector.requests.filter((r) => r.path === '/v1/logs')).toHaveLength(exports.length);
  }, 60_000);
});
