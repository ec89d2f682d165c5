import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { runCli, writeConfig } from '../helpers/cli.js';
import { DEFAULT_CLOUD_ID, jiraCreated, jiraFixtureRecords, startJiraAuditServer } from '../helpers/jira-audit-server.js';
import { startOAuthServer } from '../helpers/oauth-server.js';
import { fixtureEvents, generateEvents, startOrgEventsServer } from '../helpers/org-events-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';

const ORG = '00000000-0000-0000-0000-0000000000ce';
const KEY = 'org-api-key-expiry-91c3d2';
const DAY = 86_400_000;

let closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c.close()));
  closers = [];
});
async function up<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const s = await server;
  closers.push(s);
  return s;
}

function orgSource(name: string, apiUrl: string, apiKey: string, extra = ''): string {
  return `  - name: ${name}
    type: org-events
    orgId: ${ORG}
    apiKey: ${apiKey}
    baseUrl: ${apiUrl}
    initialLookback: 3650d
    requestsPerMinute: 0
    retryDeadline: 5s
${extra}`;
}

function config(collector: TestCollector, sources: string, top = ''): string {
  return `state:\n  directory: ./state\nexporter:\n  endpoint: ${collector.url}\n  timeout: 5s\n${top}sources:\n${sources}`;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

describe('credential expiry', { timeout: 90_000 }, () => {
  it('check prints the days left per credential: ok, WARNING inside the warning period, FAILED once expired (exit 1)', async () => {
    const api = await up(startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: fixtureEvents() }));
    const jira = await up(startJiraAuditServer({ auth: { basic: { email: 'secops@acme.example', apiToken: 'tok-expiry-1' } }, records: jiraFixtureRecords() }));
    const collector = await up(startCollector());
    const jiraSource = `  - name: acme-jira\n    type: jira-audit\n    site: ${jira.url}\n    auth: { type: basic, email: secops@acme.example, apiToken: tok-expiry-1, expiresAt: "${day(100.5)}" }\n`;
    const { file } = writeConfig(config(collector, orgSource('acme-org', api.url, KEY, `    apiKeyExpiresAt: ${day(12.5)}\n`) + jiraSource));
    const ok = await runCli(['check', '--config', file]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^source acme-org: credential WARNING \(within credentialExpiryWarning 30d\): organization API key \(apiKey\) expires \S+: 12 days left \(apiKeyExpiresAt\)$/m);
    expect(ok.stdout).toMatch(/^source acme-jira: credential ok: API token of secops@acme\.example expires \S+: 100 days left \(auth\.expiresAt\)$/m);
    expect(ok.stdout).not.toContain('tok-expiry-1');

    // The warning period is configurable; an expired key fails check.
    const { file: expired } = writeConfig(config(collector, orgSource('acme-org', api.url, KEY, `    apiKeyExpiresAt: ${day(-2.5)}\n`) + jiraSource, 'credentialExpiryWarning: 120d\n'));
    const bad = await runCli(['check', '--config', expired]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^source acme-org: credential FAILED: organization API key \(apiKey\) expired \S+ \(2 days ago\) \(apiKeyExpiresAt\)$/m);
    expect(bad.stdout).toMatch(/^source acme-jira: credential WARNING \(within credentialExpiryWarning 120d\): API token of secops@acme\.example expires \S+: 100 days left/m);

    const { file: wrong } = writeConfig(config(collector, orgSource('acme-org', api.url, KEY, '    apiKeyExpiresAt: next year\n')));
    const refused = await runCli(['check', '--config', wrong]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/sources\[0\]\.apiKeyExpiresAt: must be an ISO-8601 date or time/);
  });

  it('run warns in the log, names the credential on /readyz while staying ready, and exports the expiry as a metric (no secret)', async () => {
    const api = await up(startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: fixtureEvents() }));
    const collector = await up(startCollector());
    const expiresAt = new Date(Date.parse(day(5)));
    const telemetry = 'telemetry:\n  health:\n    endpoint: 127.0.0.1:0\n  metrics:\n    prometheus: true\n    interval: 1s\n';
    const { file } = writeConfig(config(collector, orgSource('acme-org', api.url, KEY, `    apiKeyExpiresAt: ${expiresAt.toISOString()}\n    pollInterval: 1h\n`), telemetry));
    const run = startCli(['run', '--config', file], { timeoutMs: 30_000 });
    try {
      const listening = await run.waitForLog((l) => l.event === 'health.listening', 15_000);
      const warning = await run.waitForLog((l) => l.event === 'credential.expiring', 15_000);
      expect(warning).toMatchObject({ level: 'warn', source: 'acme-org', credential: 'organization API key (apiKey)', expiresAt: expiresAt.toISOString(), daysLeft: 4 });
      expect(String(warning.msg)).toMatch(/rotate it \(README: Rotating credentials\)/);
      await run.waitForLog((l) => l.event === 'poll.finished', 15_000);

      const readyz = await fetch(`http://${String(listening.address)}/readyz`);
      const body = (await readyz.json()) as { status: string; credentials?: string[] };
      expect(readyz.status).toBe(200);
      expect(body.status).toBe('ready');
      expect(body.credentials).toEqual([expect.stringMatching(/^acme-org: organization API key \(apiKey\) expires \S+: 4 days left$/)]);

      const metrics = await (await fetch(`http://${String(listening.address)}/metrics`)).text();
      const line = metrics.split('\n').find((l) => l.startsWith('atlassian_receiver_credential_expiry_timestamp'));
      expect(line).toMatch(/^atlassian_receiver_credential_expiry_timestamp_seconds\{[^}]*source="acme-org"[^}]*credential="organization API key \(apiKey\)"[^}]*\} [\d.e+]+$/);
      expect(Number(line!.split(' ').at(-1))).toBe(expiresAt.getTime() / 1000);
      const deadline = Date.now() + 10_000;
      const pushed = () => collector.metrics.find((p) => p.metric === 'atlassian.receiver.credential.expiry_timestamp');
      while (!pushed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(pushed()).toMatchObject({ value: expiresAt.getTime() / 1000, unit: 's', attributes: { source: 'acme-org', credential: 'organization API key (apiKey)' } });
      expect(metrics).not.toContain(KEY);
    } finally {
      run.kill('SIGTERM');
    }
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).not.toContain(KEY);
  });
});

describe('a credential refused after it worked', { timeout: 90_000 }, () => {
  it('org: names the source, the credential and the README section; a rotated ${file:…} key is picked up after the 401, without a restart', async () => {
    const api = await up(startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: generateEvents(4, Date.now() - 60_000) }));
    const collector = await up(startCollector());
    const { dir, file } = writeConfig('');
    const keyFile = join(dir, 'org-api-key');
    writeFileSync(keyFile, `${KEY}\n`);
    writeFileSync(file, config(collector, orgSource('acme-org', api.url, `"\${file:${keyFile}}"`, '    pollInterval: 1s\n')));
    const run = startCli(['run', '--config', file], { timeoutMs: 40_000 });
    const rotated = 'org-api-key-rotated-77aa01';
    try {
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === 4, 15_000);
      api.apiKey = rotated; // the old key is revoked at Atlassian
      const failed = await run.waitForLog((l) => l.event === 'poll.failed', 15_000);
      expect(String(failed.error)).toMatch(/the organization API key \(apiKey\) worked before and is now refused: it may have expired or been revoked\. Create a new key and rotate it \(README: README\.md#rotating-credentials\)/);
      expect(failed.source).toBe('acme-org');

      writeFileSync(keyFile, `${rotated}\n`); // the new key is mounted
      api.addEvents({ ...generateEvents(1, Date.now() - 1_000)[0]!, id: 'after-rotation' });
      await run.waitForLog((l) => l.event === 'credential.reread' && l.source === 'acme-org', 15_000);
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === 1, 15_000);
      expect(collector.records.map((r) => r.attributes['log.record.uid'])).toContain(`${ORG}:after-rotation`);
    } finally {
      run.kill('SIGTERM');
    }
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).not.toContain(KEY);
    expect(run.stderr()).not.toContain(rotated);
  });

  it('jira: the same for a ${file:…} API token (basic auth)', async () => {
    const auth = { basic: { email: 'secops@acme.example', apiToken: 'tok-before-rotation-1' } };
    const template = jiraFixtureRecords()[0]!;
    const jira = await up(startJiraAuditServer({ auth, records: [{ ...structuredClone(template), id: 70001, created: jiraCreated(Date.now() - 10 * 60_000) }] }));
    const collector = await up(startCollector());
    const { dir, file } = writeConfig('');
    const tokenFile = join(dir, 'jira-token');
    writeFileSync(tokenFile, 'tok-before-rotation-1\n');
    writeFileSync(file, `exporter:\n  endpoint: ${collector.url}\nsources:\n  - name: acme-jira\n    type: jira-audit\n    site: ${jira.url}\n    pollInterval: 1s\n    settleDelay: 0s\n    requestsPerMinute: 0\n    retryDeadline: 5s\n    auth: { type: basic, email: secops@acme.example, apiToken: "\${file:${tokenFile}}" }\n`);
    const run = startCli(['run', '--config', file], { timeoutMs: 40_000 });
    try {
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === 1, 15_000);
      auth.basic.apiToken = 'tok-after-rotation-2';
      const failed = await run.waitForLog((l) => l.event === 'poll.failed', 15_000);
      expect(String(failed.error)).toMatch(/the API token of secops@acme\.example worked before and is now refused: it may have expired or been revoked\. Rotate it \(README: README\.md#rotating-credentials\)/);
      writeFileSync(tokenFile, 'tok-after-rotation-2\n');
      jira.addRecords({ ...structuredClone(template), id: 70002, created: jiraCreated(Date.now() - 500) });
      await run.waitForLog((l) => l.event === 'credential.retry' && l.source === 'acme-jira', 15_000);
      const deadline = Date.now() + 10_000;
      while (!collector.records.some((r) => String(r.attributes['log.record.uid']).endsWith(':70002')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(collector.records.map((r) => String(r.attributes['log.record.uid']))).toContain(`${new URL(jira.url).host}:70002`);
    } finally {
      run.kill('SIGTERM');
    }
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).not.toContain('tok-before-rotation-1');
    expect(run.stderr()).not.toContain('tok-after-rotation-2');
  });

  it('client-credentials: a rotated ${file:…} client secret is used once the token endpoint refuses the old one', async () => {
    const client = { clientId: 'svc-rotation', clientSecret: 'svc-secret-before-1' };
    const oauth = await up(startOAuthServer({ clients: [client] }));
    const template = jiraFixtureRecords()[0]!;
    const jira = await up(startJiraAuditServer({ auth: { oauth }, records: [{ ...structuredClone(template), id: 71001, created: jiraCreated(Date.now() - 10 * 60_000) }] }));
    const collector = await up(startCollector());
    const { dir, file } = writeConfig('');
    const secretFile = join(dir, 'svc-secret');
    writeFileSync(secretFile, 'svc-secret-before-1\n');
    const auth = { type: 'client-credentials', clientId: client.clientId, clientSecret: `\${file:${secretFile}}`, tokenUrl: oauth.tokenUrl, apiBaseUrl: jira.url, cloudId: DEFAULT_CLOUD_ID };
    writeFileSync(file, `exporter:\n  endpoint: ${collector.url}\nsources: ${JSON.stringify([{ name: 'acme-jira', type: 'jira-audit', site: jira.url, pollInterval: '1s', settleDelay: '0s', requestsPerMinute: 0, retryDeadline: '5s', auth }])}\n`);
    const run = startCli(['run', '--config', file], { timeoutMs: 40_000 });
    try {
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === 1, 15_000);
      client.clientSecret = 'svc-secret-after-2'; // rotated at Atlassian: the old secret is gone
      oauth.expireAccessTokens();
      await run.waitForLog((l) => l.event === 'poll.failed', 15_000);
      writeFileSync(secretFile, 'svc-secret-after-2\n');
      jira.addRecords({ ...structuredClone(template), id: 71002, created: jiraCreated(Date.now() - 500) });
      await run.waitForLog((l) => l.event === 'credential.reread' && l.source === 'acme-jira', 15_000);
      const deadline = Date.now() + 10_000;
      while (!collector.records.some((r) => String(r.attributes['log.record.uid']).endsWith(':71002')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(collector.records.map((r) => String(r.attributes['log.record.uid']))).toContain(`${new URL(jira.url).host}:71002`);
    } finally {
      run.kill('SIGTERM');
    }
    expect((await run.exited).code).toBe(0);
    expect(run.stderr()).not.toContain('svc-secret-before-1');
    expect(run.stderr()).not.toContain('svc-secret-after-2');
  });
});
