import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';
import type { TestCollector } from '../helpers/otlp-collector.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';

const ORG = '00000000-0000-0000-0000-000000000000';
const KEY = 'org-api-key-e2e-7c1d9f';
const env = { TEST_ORG_API_KEY: KEY };

const servers = useOrgServers(ORG, KEY);

const uids = (c: TestCollector) => c.records.map((r) => String(r.attributes['log.record.uid']));
const expectedUids = () => fixtureEvents().map((e) => `${ORG}:${e.id}`).sort();

describe('once, end to end over loopback', () => {
  it.each(['http/protobuf', 'http/json'])('delivers every fixture event exactly once (%s), then nothing new', async (protocol) => {
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, protocol }));
    const first = await runCli(['once', '--config', file], { env });
    expect(first.stderr).not.toContain(KEY);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^acme-org: ok delivered=${fixtureEvents().length} `, 'm'));
    expect(uids(servers.collector).sort()).toEqual(expectedUids());
    const record = servers.collector.records.find((r) => r.attributes['atlassian.audit.action'] === 'user_login_failed')!;
    expect(record).toMatchObject({ eventName: 'atlassian.org.audit_event', severityText: 'WARN', severityNumber: 13 });
    expect(record.resource['service.name']).toBe('atlassian-audit-receiver');
    expect(record.body).toMatchObject({ id: expect.any(String), attributes: { action: 'user_login_failed' } });
    expect(servers.collector.requests.every((r) => r.contentType === (protocol === 'http/json' ? 'application/json' : 'application/x-protobuf'))).toBe(true);

    const second = await runCli(['once', '--config', file], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^acme-org: ok delivered=0 /m);
    expect(servers.collector.records).toHaveLength(fixtureEvents().length);

    servers.api.addEvents({ ...fixtureEvents()[0]!, id: 'late-0001', attributes: { ...fixtureEvents()[0]!.attributes, processedAt: new Date(Date.now() - 1000).toISOString() } });
    const third = await runCli(['once', '--config', file], { env });
    expect(third.stdout).toMatch(/^acme-org: ok delivered=1 /m);
    expect(uids(servers.collector).filter((u) => u.endsWith(':late-0001'))).toHaveLength(1);
  });

  it('loses nothing when killed between export and commit', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }));
    const killed = await runCli(['once', '--config', file], { env: { ...env, AAR_CRASH_AT: 'after-export:2' } });
    expect(killed.signal).toBe('SIGKILL');
    const afterCrash = servers.collector.records.length;
    expect(afterCrash).toBe(6); // two pages of three were accepted, the second never committed
    const rerun = await runCli(['once', '--config', file], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect([...new Set(uids(servers.collector))].sort()).toEqual(expectedUids());
    // Only the page in flight at the kill came twice, with the same log.record.uid.
    expect(servers.collector.records.length - expectedUids().length).toBe(3);
  });

  it('resumes a walk from the stored cursor, and from processedAt when the cursor is rejected', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }));
    const killed = await runCli(['once', '--config', file], { env: { ...env, AAR_CRASH_AT: 'after-commit:2' } });
    expect(killed.signal).toBe('SIGKILL');
    const checkpointFile = join(dirname(file), 'state', 'acme-org.checkpoint.json');
    const stored = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { cursor?: string };
    expect(stored.cursor).toEqual(expect.any(String));

    const resumed = await runCli(['once', '--config', file], { env: { ...env, AAR_CRASH_AT: 'after-commit:1' } });
    expect(resumed.signal).toBe('SIGKILL');
    expect(servers.api.requests.at(-1)?.query.cursor).toBe(stored.cursor);

    // The cursor expires while the receiver is down: it falls back to processedAt and dedupes the boundary.
    const expired = JSON.parse(readFileSync(checkpointFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(checkpointFile, JSON.stringify({ ...expired, cursor: 'expired-cursor' }));
    const rerun = await runCli(['once', '--config', file], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('stored cursor was rejected');
    expect(uids(servers.collector).sort()).toEqual(expectedUids());
  });

  it('exits 1 with a clear line when the API refuses the key, and never prints it', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }));
    const result = await runCli(['once', '--config', file], { env: { TEST_ORG_API_KEY: 'wrong-key-123' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^acme-org: FAILED ATL_HTTP_STATUS: the API answered 401.*read:events:admin/m);
    expect(result.stdout + result.stderr).not.toContain('wrong-key-123');
  });

  it('check reports the source and the exporter', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }));
    const ok = await runCli(['check', '--config', file], { env });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^source acme-org \(org-events\): ok/m);
    expect(ok.stdout).toMatch(/^exporter .*: ok/m);
    expect(ok.stdout).not.toContain(KEY);
    await servers.collector.close();
    const down = await runCli(['check', '--config', file], { env });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/^exporter .*: FAILED/m);
  });
});
