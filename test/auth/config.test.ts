import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';

function parse(sources: unknown[], env: NodeJS.ProcessEnv = {}) {
  return parseConfig(`sources: ${JSON.stringify(sources)}\n`, '/etc/aar/receiver.yaml', env);
}

function issues(sources: unknown[]): { path: string; message: string }[] {
  try {
    parse(sources);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const jira = (auth: unknown, extra: Record<string, unknown> = {}) => ({ name: 'acme-jira', type: 'jira-audit', site: 'https://acme.atlassian.net', auth, ...extra });

describe('auth config', () => {
  it('accepts each auth type with Atlassian defaults', () => {
    const config = parse([
      jira({ type: 'basic', email: 'secops@acme.com', apiToken: 't1' }, { name: 'a' }),
      jira({ type: 'scoped-token', email: 'svc@serviceaccount.atlassian.com', apiToken: 't2' }, { name: 'b' }),
      jira({ type: 'oauth2', clientId: 'cid', clientSecret: 's', refreshToken: 'r' }, { name: 'c' }),
      jira({ type: 'client-credentials', clientId: 'cid', clientSecret: 's', cloudId: '1324a887-45db-1bf4-1e99-ef0ff456d421' }, { name: 'd', type: 'confluence-audit' }),
    ]);
    const [a, b, c, d] = config.sources as unknown as { auth: Record<string, unknown>; pollInterval: number; pageSize: number; overlap: number; settleDelay: number }[];
    expect(a).toMatchObject({ auth: { type: 'basic' }, pollInterval: 300_000, pageSize: 1000, overlap: 600_000, settleDelay: 30_000 });
    expect(b!.auth).toMatchObject({ apiBaseUrl: 'https://api.atlassian.com' });
    expect(c!.auth).toMatchObject({ tokenUrl: 'https://auth.atlassian.com/oauth/token', apiBaseUrl: 'https://api.atlassian.com' });
    expect(d!.auth).toMatchObject({ cloudId: '1324a887-45db-1bf4-1e99-ef0ff456d421' });
  });

  it('reads secrets from the environment and from files', () => {
    const config = parse([jira({ type: 'basic', email: 'secops@acme.com', apiToken: '${JIRA_API_TOKEN}' })], { JIRA_API_TOKEN: 'from-env' });
    expect((config.sources[0] as unknown as { auth: { apiToken: string } }).auth.apiToken).toBe('from-env');
  });

  it('names an unknown or missing type and lists the choices', () => {
    expect(issues([jira({ type: 'password', email: 'a@b.c' })])).toEqual([{ path: 'sources[0].auth.type', message: 'type must be one of: basic, scoped-token, oauth2, client-credentials' }]);
    expect(issues([jira(undefined)])[0]).toMatchObject({ path: 'sources[0].auth', message: expect.stringContaining('auth is required') });
  });

  it('reports unknown keys and missing secrets, never their values', () => {
    const found = issues([jira({ type: 'oauth2', clientId: 'cid', clientSecret: 'sekrit-value', refreshTokne: 'rt-sekrit', apiToken: 'tok-sekrit' })]);
    expect(found).toEqual(expect.arrayContaining([
      { path: 'sources[0].auth.refreshToken', message: 'refreshToken is required' },
      { path: 'sources[0].auth', message: 'unknown keys: refreshTokne, apiToken' },
    ]));
    expect(JSON.stringify(found)).not.toMatch(/sekrit/);
  });

  it('rejects a secret of the wrong type without echoing it', () => {
    const found = issues([jira({ type: 'basic', email: 'secops@acme.com', apiToken: 1234567890 })]);
    expect(found).toEqual([{ path: 'sources[0].auth.apiToken', message: 'apiToken is required' }]);
  });

  it('holds every URL to https, plain http only for loopback', () => {
    const found = issues([
      jira({ type: 'oauth2', clientId: 'c', clientSecret: 's', refreshToken: 'r', tokenUrl: 'http://auth.example.com/oauth/token', apiBaseUrl: 'http://127.0.0.1:9/x' }),
    ]);
    expect(found).toEqual([{ path: 'sources[0].auth.tokenUrl', message: 'plain http:// is allowed only for loopback hosts; use https://' }]);
    expect(issues([jira({ type: 'basic', email: 'a@b.c', apiToken: 't' }, { site: 'http://acme.atlassian.net' })])[0]!.path).toBe('sources[0].site');
  });

  it('names a malformed email or cloud id', () => {
    const found = issues([jira({ type: 'scoped-token', email: 'not-an-email', apiToken: 't', cloudId: 'has spaces' })]);
    expect(found.map((i) => i.path).sort()).toEqual(['sources[0].auth.cloudId', 'sources[0].auth.email']);
  });
});

describe('jira-audit and confluence-audit source config', () => {
  const auth = { type: 'basic', email: 'a@b.c', apiToken: 't' };

  it('collects every problem with its key', () => {
    const found = issues([
      jira(auth, { site: 'https://acme.atlassian.net/wiki', pageSize: 5000, pollInterval: 'often', overlap: '-1m', colour: 'blue' }),
      { name: 'wiki', type: 'confluence-audit', auth },
    ]);
    expect(found).toEqual(expect.arrayContaining([
      { path: 'sources[0].site', message: 'must be the site root without a path, e.g. https://acme.atlassian.net (not …/wiki)' },
      { path: 'sources[0].pageSize', message: 'must be from 1 to 1000 (the API maximum)' },
      { path: 'sources[0].pollInterval', message: 'must be a duration such as 30s, 5m or 24h' },
      { path: 'sources[0].overlap', message: 'must be a duration such as 30s, 5m or 24h' },
      { path: 'sources[0]', message: 'unknown key: colour' },
      { path: 'sources[1].site', message: 'must be a URL' },
    ]));
  });

  it('parses the README example', () => {
    const yaml = [
      'sources:',
      '  - name: acme-jira',
      '    type: jira-audit',
      '    site: https://acme.atlassian.net',
      '    auth:',
      '      type: basic',
      '      email: secops@acme.com',
      '      apiToken: ${JIRA_API_TOKEN}',
      '    pollInterval: 5m',
      '    initialLookback: 24h',
      '  - name: acme-wiki',
      '    type: confluence-audit',
      '    site: https://acme.atlassian.net',
      '    auth: { type: scoped-token, email: svc@acme.com, apiToken: "${WIKI_TOKEN}" }',
    ].join('\n');
    const config = parseConfig(yaml, '/etc/aar/receiver.yaml', { JIRA_API_TOKEN: 'a', WIKI_TOKEN: 'b' });
    expect(config.sources.map((s) => s.type)).toEqual(['jira-audit', 'confluence-audit']);
  });
});
