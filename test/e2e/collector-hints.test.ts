import { describe, expect, it } from 'vitest';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';

const ORG = '00000000-0000-0000-0000-000000000000';
const KEY = 'org-api-key-hints-90be12';
const TOKEN = 'otlp-token-never-printed-5d2c';
const env = { TEST_ORG_API_KEY: KEY };
const servers = useOrgServers(ORG, KEY);

/** A config whose exporter sends one header (its value a secret). */
function config(endpoint: string): string {
  return orgConfig({ apiUrl: servers.api.url, collectorUrl: endpoint, orgId: ORG }).replace('exporter:\n', `exporter:\n  headers: { x-otlp-token: "${TOKEN}" }\n`);
}

describe('collector refusals explain themselves', () => {
  it('a 404 says which URL was used and where it came from', async () => {
    servers.collector.enqueue({ status: 404, body: 'not found' });
    const result = await runCli(['once', '--config', writeConfig(config(servers.collector.url)).file], { env });
    expect(result.code).toBe(1);
    const line = result.stdout.split('\n').find((l) => l.startsWith('acme-org: FAILED'))!;
    expect(line).toContain(`collector answered 404: nothing accepts OTLP logs at ${servers.collector.url}/v1/logs (from exporter.endpoint + /v1/logs)`);
    expect(line).toContain('usually port 4318, not gRPC 4317');
    expect(servers.collector.records).toHaveLength(0);
  });

  it('an endpoint already ending in /v1/logs is used as it is, and works', async () => {
    const result = await runCli(['once', '--config', writeConfig(config(`${servers.collector.url}/v1/logs`)).file], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(servers.collector.records).toHaveLength(fixtureEvents().length);
    expect(servers.collector.requests.every((r) => r.path === '/v1/logs')).toBe(true);
  });

  it.each([
    [401, 'wants credentials: set exporter.headers'],
    [403, 'refused the credentials: check exporter.headers'],
  ])('a %i points at exporter.headers, naming the headers sent but never their values (once and check)', async (status, hint) => {
    servers.collector.enqueue({ status, body: '' }, { status, body: '' });
    const file = writeConfig(config(servers.collector.url)).file;
    const once = await runCli(['once', '--config', file], { env });
    expect(once.code).toBe(1);
    expect(once.stdout).toContain(`collector answered ${status}: the collector at ${servers.collector.url}/v1/logs (from exporter.endpoint + /v1/logs) ${hint}`);
    expect(once.stdout).toContain('the headers sent were x-otlp-token (values not shown)');
    const check = await runCli(['check', '--config', file], { env });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`^exporter .*: FAILED: answered ${status}: .*${hint.replace(/[.]/g, '\\.')}`, 'm'));
    for (const r of [once, check]) expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });
});
