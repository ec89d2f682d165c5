import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countByUid, startHarness, TestClock, type Harness } from '../sources/jira-audit/pipeline-harness.js';
import { confluenceFixtureRecords, startConfluenceAuditServer, type ConfluenceAuditServer } from '../helpers/confluence-audit-server.js';
import { jiraFixtureRecords, startJiraAuditServer, type JiraAuditServer } from '../helpers/jira-audit-server.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';

const NOW = Date.parse('2022-01-26T00:00:00.000Z');
const SCOPED = { email: 'svc-audit@serviceaccount.atlassian.com', apiToken: 'scoped-token-abc' };
const SERVICE = { clientId: 'svc-client', clientSecret: 'svc-secret-123' };
const APP = { clientId: 'app-client', clientSecret: 'app-secret', refreshToken: 'rt-shared-seed' };

let h: Harness;
let oauth: OAuthServer;
let wiki: ConfluenceAuditServer;

beforeEach(async () => {
  h = await startHarness();
  oauth = await startOAuthServer({ clients: [SERVICE, APP] });
  wiki = await startConfluenceAuditServer({ auth: { scoped: SCOPED, oauth }, records: confluenceFixtureRecords() });
});

afterEach(async () => {
  await wiki.close();
  await oauth.close();
  await h.close();
});

function yaml(auth: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const source = { name: 'acme-wiki', type: 'confluence-audit', site: wiki.url, auth, initialLookback: '90d', requestsPerMinute: 0, retryDeadline: '1s', ...extra };
  return `sources: ${JSON.stringify([source])}\n`;
}

const scoped = (extra: Record<string, unknown> = {}) => ({ type: 'scoped-token', ...SCOPED, apiBaseUrl: wiki.url, ...extra });
const service = (extra: Record<string, unknown> = {}) => ({ type: 'client-credentials', ...SERVICE, tokenUrl: oauth.tokenUrl, apiBaseUrl: wiki.url, ...extra });

describe('scoped-token', () => {
  it('goes through /ex/confluence/{cloudId} with a cloud id discovered once from tenant_info', async () => {
    const clock = new TestClock(NOW);
    const { sources } = h.build(yaml(scoped()), clock);
    const [outcome] = await h.poll(sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 37 } });
    clock.nowMs += 5 * 60_000;
    await h.poll(sources);
    expect(wiki.requests.every((r) => r.via === 'gateway' && r.auth === 'scoped')).toBe(true);
    expect(wiki.tenantInfoRequests).toBe(1);
  });

  it('uses a configured cloud id without asking the site', async () => {
    const [outcome] = await h.poll(h.build(yaml(scoped({ cloudId: wiki.cloudId })), new TestClock(NOW)).sources);
    expect(outcome).toMatchObject({ ok: true });
    expect(wiki.tenantInfoRequests).toBe(0);
  });

  it('a 401 names the credential and the scope to check, not the token', async () => {
    const [outcome] = await h.poll(h.build(yaml(scoped({ apiToken: 'scoped-token-wrong' })), new TestClock(NOW)).sources);
    const error = outcome!.ok ? '' : outcome!.error;
    expect(error).toContain('401');
    expect(error).toContain(`scoped API token of ${SCOPED.email}`);
    expect(error).toContain('read:audit-log:confluence');
    expect(error).not.toContain('scoped-token-wrong');
    // A static token is not retried.
    expect(wiki.requests).toHaveLength(1);
  });

  it('a scoped token configured as basic fails with a hint to use scoped-token', async () => {
    const [outcome] = await h.poll(h.build(yaml({ type: 'basic', ...SCOPED }), new TestClock(NOW)).sources);
    expect(!outcome!.ok && outcome!.error).toMatch(/401.*auth type scoped-token/);
  });

  it('a wrong cloud id is a 404 that says what to check', async () => {
    const [outcome] = await h.poll(h.build(yaml(scoped({ cloudId: '00000000-0000-0000-0000-000000000000' })), new TestClock(NOW)).sources);
    expect(!outcome!.ok && outcome!.error).toMatch(/404.*auth\.cloudId/);
  });
});

describe('client-credentials (service account OAuth 2.0)', () => {
  it('caches the access token across polls and fetches a new one shortly before expiry', async () => {
    const clock = new TestClock(NOW);
    const { sources } = h.build(yaml(service()), clock);
    await h.poll(sources);
    clock.nowMs += 30 * 60_000;
    await h.poll(sources);
    expect(oauth.requests).toHaveLength(1);
    expect(oauth.requests[0]).toMatchObject({ grantType: 'client_credentials', clientId: SERVICE.clientId, status: 200 });
    clock.nowMs += 26 * 60_000; // 4 minutes before expiry
    await h.poll(sources);
    expect(oauth.requests).toHaveLength(2);
    expect(wiki.requests.every((r) => r.via === 'gateway' && r.auth === 'bearer')).toBe(true);
    expect(h.collector.records).toHaveLength(37);
  });

  it('a token revoked mid-poll is replaced once and the request retried', async () => {
    const clock = new TestClock(NOW);
    const { sources } = h.build(yaml(service(), { pageSize: 10 }), clock);
    await h.poll(sources);
    const before = h.collector.records.length;
    oauth.expireAccessTokens();
    wiki.addRecords({ ...confluenceFixtureRecords()[0]!, creationDate: NOW - 60_000 });
    clock.nowMs += 60_000;
    const [outcome] = await h.poll(sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(h.collector.records.length).toBe(before + 1);
    expect(wiki.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(oauth.requests).toHaveLength(2);
  });

  it('refused client credentials: the message names the client and what to check, never the secret', async () => {
    const [outcome] = await h.poll(h.build(yaml(service({ clientSecret: 'svc-secret-wrong' })), new TestClock(NOW)).sources);
    const error = outcome!.ok ? '' : outcome!.error;
    expect(error).toMatch(/401.*service account OAuth 2\.0 credential of client svc-client.*clientSecret/);
    expect(error).not.toContain('svc-secret-wrong');
  });

  it('falls back to tenant_info when accessible-resources does not list the site', async () => {
    oauth.resources.push({ id: 'elsewhere', url: 'https://other.atlassian.net', name: 'other', scopes: [] });
    const [outcome] = await h.poll(h.build(yaml(service()), new TestClock(NOW)).sources);
    expect(outcome).toMatchObject({ ok: true });
    expect(wiki.tenantInfoRequests).toBe(1);
  });
});

describe('one 3LO grant shared by a Jira and a Confluence source', () => {
  let jira: JiraAuditServer;

  afterEach(async () => {
    await jira.close();
  });

  it('refreshes once for both and keeps one rotation chain', async () => {
    jira = await startJiraAuditServer({ auth: { oauth }, records: jiraFixtureRecords() });
    oauth.resources.push(
      { id: jira.cloudId, url: jira.url, name: 'jira', scopes: [] },
      { id: wiki.cloudId, url: wiki.url, name: 'wiki', scopes: [] },
    );
    oauth.grantRefreshToken(APP.clientId, APP.refreshToken);
    const auth = (apiBaseUrl: string) => ({ type: 'oauth2', ...APP, tokenUrl: oauth.tokenUrl, apiBaseUrl });
    const common = { initialLookback: '90d', requestsPerMinute: 0, retryDeadline: '1s' };
    const cfg = `sources: ${JSON.stringify([
      { name: 'acme-jira', type: 'jira-audit', site: jira.url, auth: auth(jira.url), ...common },
      { name: 'acme-wiki', type: 'confluence-audit', site: wiki.url, auth: auth(wiki.url), ...common },
    ])}\n`;
    const clock = new TestClock(NOW);
    const { sources } = h.build(cfg, clock);
    const outcomes = await h.poll(sources);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(oauth.requests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
    expect(countByUid(h.collector.records).size).toBe(82 + 37);
    // Both keep working after the shared access token expires: one refresh, one chain.
    oauth.expireAccessTokens();
    clock.nowMs += 60_000;
    const again = await h.poll(sources);
    expect(again.map((o) => o.ok)).toEqual([true, true]);
    expect(oauth.requests.filter((r) => r.grantType === 'refresh_token').map((r) => r.status)).toEqual([200, 200]);
  });
});
