import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { tempDir } from '../helpers/temp-dir.js';

const SECRET = 'sekret-value-0123456789';
const base = (extra = '') => `
sources:
  - name: acme-org
    type: org-events
    orgId: 8a1b-22
    apiKey: \${ATLASSIAN_ORG_API_KEY}
${extra}`;

function issuesOf(text: string, env: NodeJS.ProcessEnv = { ATLASSIAN_ORG_API_KEY: SECRET }): string[] {
  try {
    parseConfig(text, 'test.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const described = (err as ConfigError).describe();
    expect(described).not.toContain(SECRET);
    return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and resolves ${VAR}', () => {
    const c = parseConfig(base(), '/etc/rx/config.yaml', { ATLASSIAN_ORG_API_KEY: SECRET });
    expect(c.stateDirectory).toBe('/etc/rx/state');
    expect(c.exporter).toMatchObject({ logsUrl: 'http://localhost:4318/v1/logs', protocol: 'http/protobuf', compression: 'gzip', timeoutMs: 10_000 });
    expect(c.sources[0]).toMatchObject({ apiKey: SECRET, baseUrl: 'https://api.atlassian.com', pollInterval: 60_000, initialLookback: 86_400_000, pageSize: 500 });
    expect(c.service.name).toBe('atlassian-audit-receiver');
  });

  it('reads ${file:/path} secrets and drops the trailing newline', () => {
    const dir = tempDir('cfg-');
    writeFileSync(join(dir, 'key'), `${SECRET}\n`);
    const text = base().replace('${ATLASSIAN_ORG_API_KEY}', `\${file:${join(dir, 'key')}}`);
    expect(parseConfig(text, 'x.yaml', {}).sources[0]).toMatchObject({ apiKey: SECRET });
  });

  it('honours the OTEL_* variables when the file leaves the setting out', () => {
    const c = parseConfig(base(), 'x.yaml', {
      ATLASSIAN_ORG_API_KEY: SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=t1',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'audit-rx',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=secops',
    });
    expect(c.exporter.logsUrl).toBe('https://collector.example:4318/v1/logs');
    expect(c.exporter.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 't1' });
    expect(c.exporter.protocol).toBe('http/json');
    expect(c.service).toEqual({ name: 'audit-rx', resourceAttributes: { 'deployment.environment.name': 'prod', team: 'secops' } });
    const signalSpecific = parseConfig(base(), 'x.yaml', { ATLASSIAN_ORG_API_KEY: SECRET, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://a.example', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://b.example/custom/logs' });
    expect(signalSpecific.exporter.logsUrl).toBe('https://b.example/custom/logs');
  });

  it('lets the file win over the environment', () => {
    const c = parseConfig(`exporter:\n  endpoint: http://127.0.0.1:9999\n  protocol: http/protobuf\n${base()}`, 'x.yaml', {
      ATLASSIAN_ORG_API_KEY: SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://elsewhere.example',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(c.exporter.logsUrl).toBe('http://127.0.0.1:9999/v1/logs');
    expect(c.exporter.protocol).toBe('http/protobuf');
  });

  // Each row: a broken config and the key path the error must name.
  const cases: [string, string, RegExp][] = [
    ['missing orgId', base().replace('    orgId: 8a1b-22\n', ''), /^sources\[0\]\.orgId: orgId is required/],
    ['unknown key', base('    colour: blue'), /^sources\[0\]: unknown key: colour/],
    ['unknown top-level key', `stat: {}\n${base()}`, /^: unknown key: stat/],
    ['wrong type', base('    pageSize: lots'), /^sources\[0\]\.pageSize: /],
    ['page size over the API maximum', base('    pageSize: 501'), /^sources\[0\]\.pageSize: must be from 1 to 500/],
    ['bad duration', base('    pollInterval: 5 minutes'), /^sources\[0\]\.pollInterval: must be a duration/],
    ['non-loopback http', base('    baseUrl: http://api.example.com'), /^sources\[0\]\.baseUrl: plain http:\/\/ is allowed only for loopback/],
    ['exporter endpoint without a scheme', `exporter:\n  endpoint: collector.internal:4318\n${base()}`, /^exporter\.endpoint: must be an http\(s\) URL with its scheme/],
    ['unset variable', base(), /^sources\[0\]\.apiKey: environment variable ATLASSIAN_ORG_API_KEY is not set/],
    ['unreadable secret file', base().replace('${ATLASSIAN_ORG_API_KEY}', '${file:/nonexistent/secret}'), /^sources\[0\]\.apiKey: cannot use \$\{file:\/nonexistent\/secret\}: cannot read it \(ENOENT\)/],
    ['unknown source type', base().replace('org-events', 'org-eventz'), /^sources\[0\]\.type: unknown source type/],
    ['no sources', 'sources: []', /^sources: at least one source is required/],
    ['bad protocol', `exporter:\n  protocol: grpc\n${base()}`, /^exporter\.protocol: must be http\/protobuf or http\/json/],
    ['duplicate names', `${base()}  - name: acme-org\n    type: org-events\n    orgId: x\n    apiKey: k\n`, /^sources\[1\]\.name: "acme-org" is already used by sources\[0\]/],
    ['invalid YAML', 'sources: [\n', /^: YAML syntax error \(\w+\) at line \d+, column \d+$/],
  ];
  it.each(cases)('reports %s with its key path', (_name, text, expected) => {
    const env = _name === 'unset variable' ? {} : { ATLASSIAN_ORG_API_KEY: SECRET };
    const issues = issuesOf(text, env);
    expect(issues.some((i) => expected.test(i)), issues.join('\n')).toBe(true);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(base('    pageSize: 0\n    pollInterval: soon\n    colour: blue'));
    expect(issues.length).toBeGreaterThanOrEqual(3);
  });

  it('rejects an unsupported OTEL_EXPORTER_OTLP_PROTOCOL by naming the variable', () => {
    const issues = issuesOf(base(), { ATLASSIAN_ORG_API_KEY: SECRET, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(issues[0]).toMatch(/^OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not supported/);
  });

  it('never echoes a secret-bearing header entry that is malformed', () => {
    const issues = issuesOf(base(), { ATLASSIAN_ORG_API_KEY: SECRET, OTEL_EXPORTER_OTLP_HEADERS: SECRET });
    expect(issues.join('\n')).not.toContain(SECRET);
    expect(issues[0]).toMatch(/^OTEL_EXPORTER_OTLP_HEADERS: every entry must be key=value/);
  });
});

describe('loadConfig on files', () => {
  it('never quotes the token a YAML syntax error is about', () => {
    const issues = issuesOf(`sources:\n  - name: a\n    apiKey: "${SECRET}" ${SECRET}\n`);
    expect(issues.join('\n')).not.toContain(SECRET);
    expect(issues[0]).toMatch(/^: YAML syntax error/);
  });

  it('says plainly when the file is missing', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    expect(() => loadConfig('/nonexistent/receiver.yaml', {})).toThrow('cannot read config file /nonexistent/receiver.yaml: no such file');
  });

  it('reports an unset variable once, not again as an empty value', () => {
    const issues = issuesOf(base(), {});
    expect(issues.filter((i) => i.startsWith('sources[0].apiKey'))).toEqual(['sources[0].apiKey: environment variable ATLASSIAN_ORG_API_KEY is not set']);
  });
});
