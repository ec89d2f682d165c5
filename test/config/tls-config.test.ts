// tls: / exporter.tls: / OTEL_EXPORTER_OTLP_*CERTIFICATE*/KEY / INSECURE as loaded from a config.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigError } from '../../src/errors/config-error.js';
import { createTestPki, type TestPki } from '../helpers/test-pki.js';

let pki: TestPki;
let f: Record<string, string>;
beforeAll(async () => {
  pki = await createTestPki();
  const client = await pki.client('rx');
  const other = await pki.client('other');
  f = pki.files({ 'ca.pem': pki.cert, 'client.pem': client.cert, 'client.key': client.key, 'other.key': other.key, 'notes.txt': 'hello' });
});

const config = (exporter = '', sourceExtra = '') => `exporter:
  endpoint: https://collector.example:4318
${exporter}
sources:
  - name: acme-org
    type: org-events
    orgId: o-1
    apiKey: k
${sourceExtra}
  - name: jira
    type: jira-audit
    site: https://acme.atlassian.net
    auth: { type: client-credentials, clientId: c, clientSecret: s }
`;
const problems = (text: string, env: NodeJS.ProcessEnv = {}): string => {
  try {
    parseConfig(text, join('/nonexistent', 'config.yaml'), env);
  } catch (err) {
    return (err as ConfigError).describe();
  }
  throw new Error('expected a ConfigError');
};

describe('TLS settings', () => {
  it('read a source\'s caFile for every host the source connects to, and the exporter\'s for the collector', () => {
    const c = parseConfig(config(`  tls:\n    caFile: ${f['ca.pem']}\n    certFile: ${f['client.pem']}\n    keyFile: ${f['client.key']}`, `    tls:\n      caFile: ${f['ca.pem']}`), 'x.yaml', {});
    expect(c.tlsByOrigin?.get('https://collector.example:4318')).toEqual({ ca: pki.cert, cert: expect.stringContaining('BEGIN CERTIFICATE'), key: expect.stringContaining('PRIVATE KEY') });
    expect(c.tlsByOrigin?.get('https://api.atlassian.com')).toEqual({ ca: pki.cert });
    // The Jira source set no tls: its site keeps Node's roots (and NODE_EXTRA_CA_CERTS).
    expect(c.tlsByOrigin?.has('https://acme.atlassian.net')).toBe(false);
  });

  it('take OTEL_EXPORTER_OTLP_[LOGS_]CERTIFICATE / CLIENT_CERTIFICATE / CLIENT_KEY, the signal-specific one first, the file\'s keys over them', () => {
    const env = { OTEL_EXPORTER_OTLP_CERTIFICATE: '/nonexistent/ca.pem', OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: f['ca.pem']!, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: f['client.pem']!, OTEL_EXPORTER_OTLP_CLIENT_KEY: f['client.key']! };
    const c = parseConfig(config(), 'x.yaml', env);
    expect(c.tlsByOrigin?.get('https://collector.example:4318')).toMatchObject({ ca: pki.cert });
    const fileWins = parseConfig(config(`  tls:\n    caFile: ${f['ca.pem']}`), 'x.yaml', { ...env, OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: '/nonexistent/ca.pem' });
    expect(fileWins.tlsByOrigin?.get('https://collector.example:4318')?.ca).toBe(pki.cert);
  });

  it('refuse, naming the key and never quoting a file, a missing file, a non-certificate, half a key pair, or a key that does not match', () => {
    expect(problems(config('', '    tls:\n      caFile: ./missing-ca.pem'))).toContain('sources[0].tls.caFile: cannot read ./missing-ca.pem: no such file');
    expect(problems(config(`  tls:\n    caFile: ${f['notes.txt']}`))).toContain(`exporter.tls.caFile: ${f['notes.txt']} holds no PEM certificate`);
    expect(problems(config(`  tls:\n    certFile: ${f['client.pem']}`))).toContain('exporter.tls.certFile: a client certificate needs its private key: set exporter.tls.keyFile (or OTEL_EXPORTER_OTLP_CLIENT_KEY) too');
    const mismatch = problems(config(`  tls:\n    certFile: ${f['client.pem']}\n    keyFile: ${f['other.key']}`));
    expect(mismatch).toContain(`exporter.tls.keyFile: ${f['other.key']} is not the private key of ${f['client.pem']}`);
    expect(mismatch).not.toContain('PRIVATE KEY');
    expect(problems(config(), { OTEL_EXPORTER_OTLP_CLIENT_KEY: f['client.key']! })).toContain('OTEL_EXPORTER_OTLP_CLIENT_KEY: a private key needs its client certificate: set exporter.tls.certFile (or OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE) too');
  });

  it('apply a Data Center source\'s caFile to its instance', () => {
    const text = `sources:\n  - name: dc-jira\n    type: datacenter-audit\n    product: jira\n    baseUrl: https://jira.acme.internal/jira\n    auth: { type: pat, token: t }\n    tls:\n      caFile: ${f['ca.pem']}\n`;
    expect(parseConfig(text, 'x.yaml', {}).tlsByOrigin?.get('https://jira.acme.internal')).toEqual({ ca: pki.cert });
  });

  it('refuse two different CA settings for one host', () => {
    const dir = join(f['ca.pem']!, '..');
    writeFileSync(join(dir, 'ca2.pem'), `${pki.cert}\n`);
    const text = config('', `    tls:\n      caFile: ${f['ca.pem']}\n  - name: org2\n    type: org-events\n    orgId: o-2\n    apiKey: k\n    tls:\n      caFile: ${join(dir, 'ca2.pem')}`);
    expect(problems(text)).toContain('sources[1].tls: https://api.atlassian.com already has TLS settings from sources[0].tls');
  });
});

describe('plain http and OTEL_EXPORTER_OTLP_INSECURE', () => {
  const warnings = (endpoint: string, env: NodeJS.ProcessEnv) =>
    (parseConfig(config().replace('https://collector.example:4318', endpoint), 'x.yaml', env).warnings ?? []).map((w) => w.message);

  it('allow a plain-http collector anywhere (the start-up warning is the command\'s), but Atlassian URLs stay https', () => {
    expect(parseConfig(config().replace('https://collector.example:4318', 'http://otel-gateway.observability:4318'), 'x.yaml', {}).exporter.logsUrl).toBe('http://otel-gateway.observability:4318/v1/logs');
    expect(parseConfig(config(), 'x.yaml', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://gateway.internal:4318/v1/logs' }).exporter.logsUrl).toBe('https://collector.example:4318/v1/logs');
    expect(problems(config('', '    baseUrl: http://api.example.com'))).toContain('sources[0].baseUrl: plain http:// is allowed only for loopback hosts; use https://');
  });

  it('say INSECURE has no effect over OTLP/HTTP when it asks for plaintext on an https endpoint, and warn on a non-boolean', () => {
    expect(warnings('https://c.example:4318', { OTEL_EXPORTER_OTLP_INSECURE: 'TRUE' })).toEqual([
      'OTEL_EXPORTER_OTLP_INSECURE=true has no effect on OTLP/HTTP: the endpoint\'s scheme decides, and https://c.example:4318 is https (use an http:// endpoint for plaintext)',
    ]);
    expect(warnings('http://c.example:4318', { OTEL_EXPORTER_OTLP_LOGS_INSECURE: 'true' })).toEqual([]);
    expect(warnings('https://c.example:4318', { OTEL_EXPORTER_OTLP_INSECURE: 'false' })).toEqual([]);
    expect(warnings('https://c.example:4318', { OTEL_EXPORTER_OTLP_INSECURE: 'yes' })).toEqual(['OTEL_EXPORTER_OTLP_INSECURE="yes" is not true or false; read as false']);
  });
});
