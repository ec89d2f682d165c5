// Issue 15, rows 2, 6, 11, 12, 13: hostile or broken configuration, driven through the real CLI.
import { mkfifoSync } from './mkfifo.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { useOrgServers } from '../helpers/org-servers.js';
import { fixtureEvents } from '../helpers/org-events-server.js';

// Each case starts the CLI a few times; on a loaded 2-core machine one start can take seconds.
const SLOW = 60_000;
vi.setConfig({ testTimeout: 4 * SLOW, hookTimeout: SLOW });

const ORG = 'org-hostile-config';
const KEY = 'org-api-key-hostile-0c1';
const env = { TEST_ORG_API_KEY: KEY };
const SECRET = 'ATATT3xFfGF0T5JNk2mZ8vQrS7dYwL1pH4cX9bN6aE0uI3oK';

const minimal = (extra = '', source = '') => `${extra}
sources:
  - name: acme-org
    type: org-events
    orgId: abc
    apiKey: k
${source}`;

async function configError(yaml: string, envVars: Record<string, string> = {}) {
  const { file } = writeConfig(yaml);
  const r = await runCli(['check', '--config', file], { env: envVars, timeoutMs: SLOW });
  return { ...r, file };
}

describe('row 2: every duration has a range; outside it is a config error naming the key', () => {
  it.each([
    ['pollInterval: 25d', 'sources[0].pollInterval: must be from 1s to 7d'],
    ['requestTimeout: 25d', 'sources[0].requestTimeout: must be from 100ms to 10m'],
    ['retryDeadline: 2d', 'sources[0].retryDeadline: must be from 0s to 1d'],
    ['initialLookback: 4000d', 'sources[0].initialLookback: must be from 0s to 3650d'],
  ])('%s', async (line, message) => {
    const r = await configError(minimal('', `    ${line}\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it.each([
    ['exporter:\n  timeout: 25d', 'exporter.timeout: must be from 100ms to 10m'],
    ['exporter:\n  maxRetryTime: 30d', 'exporter.maxRetryTime: must be from 0s to 7d'],
    ['telemetry:\n  metrics:\n    interval: 25d', 'telemetry.metrics.interval: must be from 1s to 1d'],
  ])('%s', async (extra, message) => {
    const r = await configError(minimal(extra));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('OTEL_EXPORTER_OTLP_TIMEOUT past the range is a config error, not a RangeError', async () => {
    const r = await configError(minimal(), { OTEL_EXPORTER_OTLP_TIMEOUT: '99999999999' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OTEL_EXPORTER_OTLP_TIMEOUT: must be from 100ms to 10m');
    expect(r.stderr).not.toMatch(/RangeError|at .*\.js/);
  });
});

describe('row 6: config errors name keys and positions, never values', () => {
  it('a secret typed as a map key is shown by its position only', async () => {
    const r = await configError(minimal('', `    apiToken ${SECRET}: 1\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).toContain('sources[0]: unknown key: <a key at line 7, column 5, not shown');
  });

  it('a header whose name swallowed the token is shown by its position only', async () => {
    const r = await configError(minimal(`exporter:\n  headers:\n    authorization Bearer ${SECRET}:\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).toMatch(/exporter\.headers\.<a key at line 3, column 5, not shown[^>]*>: header values must be strings/);
  });

  it('an ordinary misspelt key is still named', async () => {
    const r = await configError(minimal('', '    pollIntervall: 5m\n'));
    expect(r.stderr).toContain('sources[0]: unknown key: pollIntervall');
  });

  it('--config on a file that is not YAML settings is reported without its content', async () => {
    const { dir } = writeConfig('');
    const file = join(dir, 'token.txt');
    writeFileSync(file, `${SECRET}\nsecond line\n`);
    const r = await runCli(['check', '--config', file], { timeoutMs: SLOW });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).toContain(`invalid configuration in ${file}`);
    expect(r.stderr).toContain('the file is not a YAML mapping of settings');
  });
});

describe('row 12: a YAML alias bomb', () => {
  it('exits 2 naming the file and the problem', async () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g']]) rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const r = await configError(`${rows.join('\n')}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid configuration in ${r.file}`);
    expect(r.stderr).toContain('YAML aliases expand too far');
  });
});

describe('row 13: ${file:…} references are size-capped regular files', () => {
  it('/dev/zero is refused at once, naming the reference', async () => {
    const r = await configError(minimal().replace('apiKey: k', 'apiKey: ${file:/dev/zero}'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sources[0].apiKey: cannot use ${file:/dev/zero}: it is not a regular file');
  });

  it('a file over 64 KiB is refused without printing it', async () => {
    const { dir } = writeConfig('');
    const big = join(dir, 'big-secret');
    writeFileSync(big, `${SECRET}${'x'.repeat(70 * 1024)}`);
    const r = await configError(minimal().replace('apiKey: k', `apiKey: \${file:${big}}`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot use \${file:${big}}: it is larger than 64 KiB`);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('a FIFO is refused without blocking on it', async () => {
    const { dir } = writeConfig('');
    const fifo = join(dir, 'pipe');
    mkfifoSync(fifo);
    const r = await configError(minimal().replace('apiKey: k', `apiKey: \${file:${fifo}}`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is not a regular file');
  });
});

describe('row 11: an exporter endpoint with a query string', () => {
  const servers = useOrgServers(ORG, KEY);
  it('posts to <path>/v1/logs and keeps the query', async () => {
    const collectorUrl = `${servers.collector.url}/otlp?tenant=acme&x=1`;
    const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl, orgId: ORG }));
    const r = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code, r.stderr).toBe(0);
    const logs = servers.collector.requests.filter((q) => q.path.endsWith('/v1/logs'));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((q) => q.path === '/otlp/v1/logs' && q.query === 'tenant=acme&x=1')).toBe(true);
    expect(servers.collector.records).toHaveLength(fixtureEvents().length);
  });
});
