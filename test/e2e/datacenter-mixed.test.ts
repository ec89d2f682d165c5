import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { dcFixture } from '../helpers/datacenter-fixtures.js';
import { dcEventAt, startDcServer, type DcServer } from '../helpers/datacenter-server.js';
import { jiraCreated, jiraFixtureRecords, startJiraAuditServer, type JiraAuditServer } from '../helpers/jira-audit-server.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';

const ORG = '00000000-0000-0000-0000-000000000000';
const KEY = 'org-api-key-dc-mixed-31f0';
const PAT = 'jira-dc-pat-mixed-8c2e';
const CLOUD_TOKEN = 'jira-cloud-token-mixed-77aa';
const env = { TEST_ORG_API_KEY: KEY, JIRA_DC_PAT: PAT, JIRA_CLOUD_TOKEN: CLOUD_TOKEN };
const CLOUD_RECORDS = 5;
const servers = useOrgServers(ORG, KEY);
const REST_EVENTS = 12;

let jira: DcServer;
let jiraCloud: JiraAuditServer;
beforeEach(async () => {
  const cloud = jiraFixtureRecords().slice(0, CLOUD_RECORDS).map((r, i) => ({ ...r, created: jiraCreated(Date.now() - 300_000 - i * 1_000) }));
  jiraCloud = await startJiraAuditServer({ auth: { basic: { email: 'secops@acme.example', apiToken: CLOUD_TOKEN } }, records: cloud });
  const templates = dcFixture('jira', 'rest');
  const end = Date.now() - 120_000;
  jira = await startDcServer({
    product: 'jira',
    contextPath: '/jira',
    authorizations: [`Bearer ${PAT}`],
    events: Array.from({ length: REST_EVENTS }, (_, i) => dcEventAt(templates[i]!, end - i * 1_000)),
    coverage: { AUDIT_LOG: 'BASE', SECURITY: 'OFF' },
  });
});
afterEach(async () => {
  await jira.close();
  await jiraCloud.close();
});

/** The org source (Cloud) beside a Jira DC REST source and a Bitbucket node's audit files. */
function mixedConfig(extra: { batchSize?: number; pollInterval?: string; filesOnly?: boolean } = {}): { file: string; lines: number } {
  const base = writeConfig('');
  const audit = join(base.dir, 'bitbucket-home', 'log', 'audit');
  mkdirSync(audit, { recursive: true });
  const lines = dcFixture('bitbucket', 'file').map((r) => JSON.stringify(r));
  const more = dcFixture('confluence', 'file').slice(0, 7).map((r) => JSON.stringify(r));
  writeFileSync(join(audit, '20211127-00000.audit.log'), `${lines.join('\n')}\n`);
  writeFileSync(join(audit, '20211128-00000.audit.log'), `${more.join('\n')}\n`);
  const poll = extra.pollInterval ? `    pollInterval: ${extra.pollInterval}\n` : '';
  const files = `  - name: bitbucket-node1-files
    type: datacenter-audit-file
    product: bitbucket
    paths: ["${audit}/*.audit.log"]
    batchSize: ${extra.batchSize ?? 1000}
${poll}`;
  if (extra.filesOnly) {
    writeFileSync(base.file, `state:\n  directory: ./state\nexporter:\n  endpoint: ${servers.collector.url}\n  timeout: 5s\nsources:\n${files}`);
    return { file: base.file, lines: lines.length + more.length };
  }
  const yaml = `${orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, extra: poll })}  - name: jira-dc
    type: datacenter-audit
    product: jira
    baseUrl: ${jira.url}
    auth:
      type: pat
      token: \${env:JIRA_DC_PAT}
    initialLookback: 1h
    requestsPerMinute: 0
    retryDeadline: 10s
${poll}  - name: jira-cloud
    type: jira-audit
    site: ${jiraCloud.url}
    auth:
      type: basic
      email: secops@acme.example
      apiToken: \${env:JIRA_CLOUD_TOKEN}
    initialLookback: 1h
    requestsPerMinute: 0
    retryDeadline: 10s
${poll}${files}`;
  writeFileSync(base.file, yaml);
  return { file: base.file, lines: lines.length + more.length };
}

const bySource = () => {
  const counts: Record<string, number> = {};
  for (const r of servers.collector.records) counts[String(r.attributes['atlassian.source'])] = (counts[String(r.attributes['atlassian.source'])] ?? 0) + 1;
  return counts;
};

// Several CLI processes per test: generous limits, because CI machines are shared.
const E2E_TIMEOUT_MS = 120_000;

describe('Data Center REST and file sources next to Cloud sources (org, Jira), end to end', () => {
  it('check, then once twice: everything once, then nothing new', async () => {
    const { file, lines } = mixedConfig();
    const check = await runCli(['check', '--config', file], { env, timeoutMs: 60_000 });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^source jira-dc \(datacenter-audit\): ok: authenticated.*WARNING: audit coverage is OFF for SECURITY,/m);
    expect(check.stdout).toMatch(/^source bitbucket-node1-files \(datacenter-audit-file\): ok: 2 audit file\(s\) readable/m);
    expect(check.stdout).toMatch(/^source acme-org \(org-events\): ok/m);
    expect(check.stdout).toMatch(/^source jira-cloud \(jira-audit\): ok/m);

    const once = await runCli(['once', '--config', file], { env, timeoutMs: 60_000 });
    expect(once.code, once.stderr).toBe(0);
    expect(bySource()).toEqual({ 'acme-org': fixtureEvents().length, 'jira-cloud': CLOUD_RECORDS, 'jira-dc': REST_EVENTS, 'bitbucket-node1-files': lines });
    const again = await runCli(['once', '--config', file], { env, timeoutMs: 60_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^jira-dc: ok delivered=0 /m);
    expect(again.stdout).toMatch(/^bitbucket-node1-files: ok delivered=0 /m);
    expect(servers.collector.records).toHaveLength(fixtureEvents().length + CLOUD_RECORDS + REST_EVENTS + lines);
    const deployments = new Set(servers.collector.records.map((r) => `${String(r.attributes['atlassian.source'])}=${String(r.attributes['atlassian.deployment'])}`));
    expect([...deployments].sort()).toEqual(['acme-org=cloud', 'bitbucket-node1-files=datacenter', 'jira-cloud=cloud', 'jira-dc=datacenter']);
    for (const out of [check, once, again]) for (const secret of [PAT, KEY, CLOUD_TOKEN]) expect(out.stdout + out.stderr).not.toContain(secret);
  }, E2E_TIMEOUT_MS);

  it('run polls all four until SIGTERM', async () => {
    const { file, lines } = mixedConfig({ pollInterval: '1h' });
    const run = startCli(['run', '--config', file], { env, timeoutMs: 90_000 });
    try {
      for (const name of ['acme-org', 'jira-cloud', 'jira-dc', 'bitbucket-node1-files']) {
        await run.waitForLog((l) => l['event'] === 'poll.finished' && l['source'] === name, 60_000);
      }
      expect(bySource()).toEqual({ 'acme-org': fixtureEvents().length, 'jira-cloud': CLOUD_RECORDS, 'jira-dc': REST_EVENTS, 'bitbucket-node1-files': lines });
    } finally {
      run.kill('SIGTERM');
    }
    const result = await run.exited;
    expect(result.code).toBe(0);
  }, E2E_TIMEOUT_MS);

  it('loses nothing when killed between export and commit of a file batch', async () => {
    const { file, lines } = mixedConfig({ batchSize: 3, filesOnly: true });
    const killed = await runCli(['once', '--config', file], { env: { ...env, AAR_CRASH_AT: 'after-export:2' }, timeoutMs: 60_000 });
    expect(servers.collector.records).toHaveLength(6); // two batches accepted, the second never committed
    expect(killed.signal).toBe('SIGKILL');
    const rerun = await runCli(['once', '--config', file], { env, timeoutMs: 60_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    const uids = servers.collector.records.map((r) => String(r.attributes['log.record.uid']));
    const unique = new Set(uids);
    expect(unique.size).toBe(lines);
    // Only the batch in flight at the kill comes again, with the same uids (downstream can drop them).
    expect(uids.length - unique.size).toBe(3);
  }, E2E_TIMEOUT_MS);
});

describe('Data Center over https with an internal CA', () => {
  const tlsDir = new URL('../fixtures/datacenter/tls/', import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, tlsDir), 'utf8');

  it('trusts the CA given in NODE_EXTRA_CA_CERTS, and says what is wrong without it', async () => {
    const server = await startDcServer({ product: 'confluence', authorizations: [`Bearer ${PAT}`], tls: { key: read('server.key'), cert: read('server.pem') } });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
      const { file } = writeConfig(`state:
  directory: ./state
exporter:
  endpoint: ${servers.collector.url}
sources:
  - name: wiki-dc
    type: datacenter-audit
    product: confluence
    baseUrl: ${server.url}
    auth:
      type: pat
      token: \${env:JIRA_DC_PAT}
    retryDeadline: 1s
`);
      const trusted = await runCli(['check', '--config', file], { env: { ...env, NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('ca.pem', tlsDir)) }, timeoutMs: 60_000 });
      expect(trusted.stdout, trusted.stderr).toMatch(/^source wiki-dc \(datacenter-audit\): ok: authenticated/m);
      const untrusted = await runCli(['check', '--config', file], { env, timeoutMs: 60_000 });
      expect(untrusted.code).toBe(1);
      expect(untrusted.stdout).toMatch(/^source wiki-dc \(datacenter-audit\): FAILED: .*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify)/im);
      expect(untrusted.stdout + untrusted.stderr).not.toContain(PAT);
    } finally {
      await server.close();
    }
  }, E2E_TIMEOUT_MS);
});
