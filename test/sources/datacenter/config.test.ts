import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors/config-error.js';

const PAT = 'pat-secret-value-42';

function parse(source: string): ReturnType<typeof parseConfig> {
  return parseConfig(`sources:\n  - ${source.trim().split('\n').join('\n    ')}\n`, '/etc/rx/config.yaml', { JIRA_DC_PAT: PAT });
}

function issues(source: string): string[] {
  try {
    parse(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).describe()).not.toContain(PAT);
    return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

const JIRA = `name: jira-dc
type: datacenter-audit
product: jira
auth:
  type: pat
  token: \${env:JIRA_DC_PAT}`;

describe('datacenter-audit config', () => {
  it('applies the issue\'s defaults and keeps the context path', () => {
    const [s] = parse(`${JIRA}\nbaseUrl: https://acme.internal/jira/`).sources;
    expect(s).toMatchObject({ baseUrl: 'https://acme.internal/jira', pollInterval: 60_000, initialLookback: 86_400_000, pageSize: 1000, allowPlainHttp: false, auth: { type: 'pat', token: PAT } });
  });

  it('refuses plain http to a non-loopback host unless allowPlainHttp is set, and says why', () => {
    expect(issues(`${JIRA}\nbaseUrl: http://jira.acme.internal:8080`)).toEqual([
      expect.stringMatching(/^sources\[0\]\.baseUrl: plain http:\/\/ to a non-loopback host .*allowPlainHttp: true/),
    ]);
    expect(parse(`${JIRA}\nbaseUrl: http://jira.acme.internal:8080\nallowPlainHttp: true`).sources[0]).toMatchObject({ allowPlainHttp: true });
    expect(parse(`${JIRA}\nbaseUrl: http://127.0.0.1:8080/jira`).sources[0]).toMatchObject({ baseUrl: 'http://127.0.0.1:8080/jira' });
  });

  it('collects every error and names the key', () => {
    const found = issues(`name: bb
type: datacenter-audit
product: bamboo
baseUrl: https://user:pw@git.acme.internal?x=1
pageSize: 200000
auth: { type: basic, username: svc }`);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^sources\[0\]\.product: must be one of: jira, confluence, bitbucket/),
      expect.stringMatching(/^sources\[0\]\.baseUrl: must not carry credentials/),
      expect.stringMatching(/^sources\[0\]\.pageSize: must be from 1 to 100000/),
      expect.stringMatching(/^sources\[0\]\.auth\.password: password is required/),
    ]));
  });

  it('rejects a Cloud auth map with a message that does not echo it', () => {
    expect(issues(`${JIRA.replace(/auth:[\s\S]*/, 'auth: { type: scoped-token, email: a@b.c, apiToken: x }')}\nbaseUrl: https://jira.acme.internal`)).toEqual([
      'sources[0].auth.type: auth must be { type: pat, token } or { type: basic, username, password }',
    ]);
  });
});

describe('the README\'s Data Center examples', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Data Center audit logs (Jira, Confluence, Bitbucket)'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('the source block parses as written', () => {
    const config = parseConfig(blocks[0]!, '/etc/rx/config.yaml', { JIRA_DC_PAT: PAT });
    expect(config.sources.map((s) => s.type)).toEqual(['datacenter-audit', 'datacenter-audit-file']);
  });

  it('the per-node receiver config parses as written', () => {
    const nodeConfig = blocks.find((b) => b.startsWith('# /etc/aar/receiver.yaml'))!;
    expect(parseConfig(nodeConfig, '/etc/aar/receiver.yaml', {}).sources[0]).toMatchObject({ type: 'datacenter-audit-file', product: 'jira' });
  });
});
