import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oauth2AuthSchema } from '../../src/auth/config.js';
import { CredentialRegistry } from '../../src/auth/credential-registry.js';
import { HttpStatusError } from '../../src/errors/http-status-error.js';
import { silentLogger } from '../../src/log/pino-logger.js';
import { countByUid, startHarness, TestClock, type Harness } from '../sources/jira-audit/pipeline-harness.js';
import { jiraFixtureRecords, startJiraAuditServer, type JiraAuditServer } from '../helpers/jira-audit-server.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';

const NOW = Date.parse('2022-01-25T00:00:00.000Z');
const CLIENT = { clientId: 'app-3lo-client', clientSecret: 'app-secret-xyz', refreshToken: 'rt-seed-from-consent' };
const HTTP = { timeoutMs: 5_000, retryDeadlineMs: 1_000 };

let h: Harness;
let oauth: OAuthServer;
let jira: JiraAuditServer;

beforeEach(async () => {
  h = await startHarness();
  oauth = await startOAuthServer({ clients: [CLIENT] });
  jira = await startJiraAuditServer({ auth: { oauth }, records: jiraFixtureRecords() });
  oauth.resources.push({ id: jira.cloudId, url: jira.url, name: 'acme', scopes: ['read:audit-log:jira'] });
});

afterEach(async () => {
  await jira.close();
  await oauth.close();
  await h.close();
});

function auth(overrides: Record<string, unknown> = {}) {
  return oauth2AuthSchema.parse({ type: 'oauth2', ...CLIENT, tokenUrl: oauth.tokenUrl, apiBaseUrl: jira.url, ...overrides });
}

function yaml(extra: Record<string, unknown> = {}, authOverrides: Record<string, unknown> = {}): string {
  const source = { name: 'acme-jira', type: 'jira-audit', site: jira.url, auth: { type: 'oauth2', ...CLIENT, tokenUrl: oauth.tokenUrl, apiBaseUrl: jira.url, ...authOverrides }, initialLookback: '90d', requestsPerMinute: 0, retryDeadline: '1s', pageSize: 10, ...extra };
  return `sources: ${JSON.stringify([source])}\n`;
}

async function savedTokens(): Promise<string[]> {
  const files = (await readdir(h.stateDirectory)).filter((f) => f.endsWith('.refresh-token.json'));
  return Promise.all(files.map(async (f) => (JSON.parse(await readFile(join(h.stateDirectory, f), 'utf8')) as { refreshToken: string }).refreshToken));
}

describe('oauth2 (3LO) through the real pipeline', () => {
  it('refreshes, saves the rotated refresh token (0600) and reaches the API via the gateway with a discovered cloud id', async () => {
    const [outcome] = await h.poll(h.build(yaml(), new TestClock(NOW)).sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 82 } });
    expect(jira.requests.every((r) => r.via === 'gateway' && r.auth === 'bearer')).toBe(true);
    expect(jira.tenantInfoRequests).toBe(0); // found in accessible-resources
    expect(oauth.requests.map((r) => [r.grantType, r.refreshToken, r.contentType])).toEqual([['refresh_token', CLIENT.refreshToken, 'application/json']]);
    expect(await savedTokens()).toEqual([oauth.currentRefreshToken(CLIENT.clientId)]);
    const file = (await readdir(h.stateDirectory)).find((f) => f.endsWith('.refresh-token.json'))!;
    expect((await stat(join(h.stateDirectory, file))).mode & 0o777).toBe(0o600);
  });

  it('an access token that expires mid-poll is refreshed once and the request retried; a restart continues with the saved token', async () => {
    // This test's own server: it expires every access token when the third page is asked for.
    await jira.close();
    let expired = false;
    jira = await startJiraAuditServer({
      auth: { oauth },
      records: jiraFixtureRecords(),
      beforePage: ({ offset }) => {
        if (offset === 20 && !expired) {
          expired = true;
          oauth.expireAccessTokens();
        }
      },
    });
    oauth.resources.splice(0, oauth.resources.length, { id: jira.cloudId, url: jira.url, name: 'acme', scopes: ['read:audit-log:jira'] });
    const clock = new TestClock(NOW);
    const [outcome] = await h.poll(h.build(yaml(), clock).sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 82 } });
    expect(expired).toBe(true);
    expect(jira.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(oauth.requests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(2);
    // The second refresh presented the token the first returned: the chain was never broken.
    expect(oauth.requests[1]!.refreshToken).not.toBe(CLIENT.refreshToken);
    expect(await savedTokens()).toEqual([oauth.currentRefreshToken(CLIENT.clientId)]);

    // A new process: the config still holds the (long retired) seed token; the saved one wins.
    jira.addRecords({ id: 50_000, created: '2022-01-24T23:59:00.000+0000', summary: 'User created', category: 'user management' });
    clock.nowMs += 5 * 60_000;
    const [again] = await h.poll(h.build(yaml(), clock).sources);
    expect(again).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(oauth.requests.at(-1)!.status).toBe(200);
    expect(oauth.requests.at(-1)!.refreshToken).not.toBe(CLIENT.refreshToken);
    expect([...countByUid(h.collector.records).values()].every((n) => n === 1)).toBe(true);
  });

  it('a refresh token put in the config after a new consent starts a new chain', async () => {
    await h.poll(h.build(yaml(), new TestClock(NOW)).sources);
    oauth.grantRefreshToken(CLIENT.clientId, 'rt-after-reconsent');
    jira.addRecords({ id: 50_001, created: '2022-01-24T23:59:00.000+0000', summary: 'Group created', category: 'group management' });
    const [outcome] = await h.poll(h.build(yaml({}, { refreshToken: 'rt-after-reconsent' }), new TestClock(NOW + 60_000)).sources);
    expect(outcome).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(oauth.requests.at(-1)!.refreshToken).toBe('rt-after-reconsent');
  });

  it('a refused refresh token fails the source with advice and without any secret', async () => {
    const [outcome] = await h.poll(h.build(yaml({}, { refreshToken: 'rt-revoked' }), new TestClock(NOW)).sources);
    expect(outcome).toMatchObject({ ok: false, code: 'ATL_HTTP_STATUS' });
    const error = outcome!.ok ? '' : outcome!.error;
    expect(error).toContain('source=acme-jira');
    expect(error).toContain('403');
    expect(error).toContain(`client ${CLIENT.clientId}`);
    expect(error).toMatch(/authorize the app again/);
    for (const secret of ['rt-revoked', CLIENT.clientSecret]) expect(error).not.toContain(secret);
  });

  it('a rotated token that cannot be saved is not used, and is kept for the next attempt', async () => {
    const registry = new CredentialRegistry({ stateDirectory: h.stateDirectory, logger: silentLogger });
    const credential = registry.get(auth(), HTTP);
    const file = registry.refreshTokenFile(credential.tag);
    // A directory where the temp file must go: loading works (nothing saved yet), saving fails.
    const temp = `${file}.${process.pid}.tmp`;
    await mkdir(temp);
    const ctx = { signal: AbortSignal.timeout(5_000), source: 'acme-jira' };
    await expect(credential.headers(ctx)).rejects.toMatchObject({ code: 'STATE_DIR_UNWRITABLE' });
    await rm(temp, { recursive: true });
    const headers = await credential.headers(ctx);
    expect(headers['authorization']).toMatch(/^Bearer at-/);
    // The second refresh used the token the first one returned (kept in memory), not the retired seed.
    expect(oauth.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(oauth.requests[1]!.refreshToken).not.toBe(CLIENT.refreshToken);
    expect(await savedTokens()).toEqual([oauth.currentRefreshToken(CLIENT.clientId)]);
  });
});

describe('oauth2 credential', () => {
  it('refreshes shortly before expiry, not after, and shares one refresh between concurrent callers', async () => {
    const clock = new TestClock(NOW);
    const registry = new CredentialRegistry({ stateDirectory: h.stateDirectory, logger: silentLogger, clock });
    const credential = registry.get(auth(), HTTP);
    const ctx = { signal: AbortSignal.timeout(5_000), source: 's' };
    const [a, b, c] = await Promise.all([credential.headers(ctx), credential.headers(ctx), credential.headers(ctx)]);
    expect(new Set([a, b, c].map((x) => x['authorization'])).size).toBe(1);
    expect(oauth.requests).toHaveLength(1);
    clock.nowMs += 54 * 60_000; // 6 minutes left of 60: still good
    expect((await credential.headers(ctx))['authorization']).toBe(a['authorization']);
    clock.nowMs += 2 * 60_000; // 4 minutes left: inside the 5-minute margin
    expect((await credential.headers(ctx))['authorization']).not.toBe(a['authorization']);
    expect(oauth.requests).toHaveLength(2);
  });

  it('picks up a token another process on the same state directory rotated meanwhile', async () => {
    const ctx = { signal: AbortSignal.timeout(5_000), source: 's' };
    const running = new CredentialRegistry({ stateDirectory: h.stateDirectory, logger: silentLogger }).get(auth(), HTTP);
    await running.headers(ctx);
    // `check` in a second process: loads the saved token, rotates it, saves the successor.
    await new CredentialRegistry({ stateDirectory: h.stateDirectory, logger: silentLogger }).get(auth(), HTTP).headers(ctx);
    oauth.expireAccessTokens();
    running.invalidate();
    await expect(running.headers(ctx)).resolves.toMatchObject({ authorization: expect.stringMatching(/^Bearer /) });
    expect(oauth.requests.map((r) => r.status)).toEqual([200, 200, 403, 200]);
    expect(await savedTokens()).toEqual([oauth.currentRefreshToken(CLIENT.clientId)]);
  });

  it('is shared by every source using the same grant, so their rotations never collide', async () => {
    const registry = new CredentialRegistry({ stateDirectory: h.stateDirectory, logger: silentLogger });
    expect(registry.get(auth(), HTTP)).toBe(registry.get(auth(), HTTP));
    expect(registry.get(auth({ refreshToken: 'other' }), HTTP)).not.toBe(registry.get(auth(), HTTP));
  });

  it('does not retry a token endpoint 4xx, and retries a 503', async () => {
    const registry = new CredentialRegistry({ stateDirectory: h.stateDirectory, logger: silentLogger });
    oauth.enqueue({ status: 503 });
    const credential = registry.get(auth(), { timeoutMs: 5_000, retryDeadlineMs: 5_000 });
    await expect(credential.headers({ signal: AbortSignal.timeout(10_000), source: 's' })).resolves.toBeDefined();
    expect(oauth.requests.map((r) => r.status)).toEqual([503, 200]);
    const other = new CredentialRegistry({ stateDirectory: h.stateDirectory, logger: silentLogger }).get(auth({ clientSecret: 'wrong' }), HTTP);
    const error = await other.headers({ signal: AbortSignal.timeout(5_000), source: 's' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).status).toBe(401);
    expect(oauth.requests).toHaveLength(3);
  });
});
