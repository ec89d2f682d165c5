// The receiver as an enterprise network runs it, end to end through the CLI: Atlassian behind
// an egress CONNECT proxy and a private CA, a gateway collector over plain http behind the
// same proxy, a collector that requires a client certificate, and a CA from NODE_EXTRA_CA_CERTS.
// Every server is on 127.0.0.1; the made-up host names resolve only inside the test proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, writeConfig } from '../helpers/cli.js';
import { fixtureEvents, startOrgEventsServer, type OrgEventsServer } from '../helpers/org-events-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';
import { createTestPki, type TestPki } from '../helpers/test-pki.js';
import { startTestProxy, type TestProxy } from '../helpers/test-proxy.js';
import { startTlsFront, type TlsFront } from '../helpers/tls-front.js';

const ORG = '00000000-0000-0000-0000-0000000000aa';
const KEY = 'org-api-key-network-5e2b';
const PROXY_PASSWORD = 'proxy-pw-9f3c1a';
const API_HOST = 'audit-api.example.test';
const GATEWAY = 'otel-gateway.observability:4318';
/** No proxy variable from the machine running the tests may leak into a run. */
const NO_PROXY_ENV = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', NO_PROXY: '', no_proxy: '', NODE_EXTRA_CA_CERTS: '' };

let pki: TestPki;
let files: Record<string, string>;
let api: OrgEventsServer;

beforeAll(async () => {
  pki = await createTestPki();
  const other = await createTestPki('Some Other CA');
  const client = await pki.client('atlassian-audit-receiver');
  const stranger = await other.client('stranger');
  files = pki.files({ 'ca.pem': pki.cert, 'client.pem': client.cert, 'client-key.pem': client.key, 'stranger.pem': stranger.cert, 'stranger-key.pem': stranger.key });
  api = await startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: fixtureEvents() });
});
afterAll(async () => {
  await api?.close();
});

function config(o: { apiUrl: string; endpoint?: string; sourceTls?: string; exporterTls?: string }): string {
  return `state:
  directory: ./state
exporter:
${o.endpoint ? `  endpoint: ${o.endpoint}\n` : ''}  timeout: 5s
  maxRetryTime: 1s
${o.exporterTls ?? ''}
telemetry:
  health:
    enabled: false
sources:
  - name: acme-org
    type: org-events
    orgId: ${ORG}
    apiKey: \${TEST_ORG_API_KEY}
    baseUrl: ${o.apiUrl}
    pageSize: 3
    initialLookback: 3650d
    requestsPerMinute: 0
    retryDeadline: 0s
${o.sourceTls ?? ''}`;
}

describe('through an egress proxy, to a private-CA API and a plain-http gateway collector', () => {
  let front: TlsFront;
  let collector: TestCollector;
  let proxy: TestProxy;
  beforeAll(async () => {
    front = await startTlsFront({ target: api.url, ...(await pki.server([API_HOST])) });
    collector = await startCollector();
    proxy = await startTestProxy({
      routes: { [`${API_HOST}:443`]: front.port, [GATEWAY]: Number(new URL(collector.url).port) },
      proxyAuthorization: `Basic ${Buffer.from(`receiver:${PROXY_PASSWORD}`).toString('base64')}`,
    });
  });
  afterAll(async () => {
    await Promise.all([front?.close(), collector?.close(), proxy?.close()]);
  });

  it('tunnels the API with CONNECT, forwards the collector\'s plain http, trusts tls.caFile, and warns about plaintext', async () => {
    const { file } = writeConfig(config({ apiUrl: `https://${API_HOST}`, endpoint: `http://${GATEWAY}`, sourceTls: `    tls:\n      caFile: ${files['ca.pem']}\n` }));
    const proxyUrl = `http://receiver:${PROXY_PASSWORD}@127.0.0.1:${new URL(proxy.url).port}`;
    const result = await runCli(['once', '--config', file], { env: { ...NO_PROXY_ENV, TEST_ORG_API_KEY: KEY, HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl } });
    expect(result.code, result.stderr).toBe(0);
    expect(collector.records).toHaveLength(fixtureEvents().length);
    // The proxy saw every request: tunnels to the API host, absolute-URI POSTs to the gateway.
    expect(proxy.requests.filter((r) => r.method === 'CONNECT').map((r) => r.target)).toContain(`${API_HOST}:443`);
    expect(proxy.requests.filter((r) => r.method === 'POST').map((r) => `${r.target}${r.path}`)).toContain(`${GATEWAY}/v1/logs`);
    expect(proxy.requests.every((r) => r.refused === 0 && r.proxyAuthorization !== undefined)).toBe(true);
    expect(front.handshakes.map((h) => h.servername)).toContain(API_HOST);
    const warning = result.stderr.split('\n').find((l) => l.includes('"event":"exporter.plaintext"'));
    expect(warning, result.stderr).toContain('"endpoint":"http://otel-gateway.observability:4318"');
    expect(result.stderr).toContain('"event":"network.proxy"');
    expect(`${result.stdout}${result.stderr}`).not.toContain(PROXY_PASSWORD);
    expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
  });

  it('without the CA the API\'s certificate is refused, in one line that says so', async () => {
    const { file } = writeConfig(config({ apiUrl: `https://${API_HOST}`, endpoint: `http://${GATEWAY}` }));
    const proxyUrl = `http://receiver:${PROXY_PASSWORD}@127.0.0.1:${new URL(proxy.url).port}`;
    const before = collector.records.length;
    const result = await runCli(['once', '--config', file], { env: { ...NO_PROXY_ENV, TEST_ORG_API_KEY: KEY, HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^acme-org: FAILED .*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT).*give it as tls\.caFile for a source/m);
    expect(collector.records).toHaveLength(before);
  });

  it('says what to do when the proxy wants credentials it was not given', async () => {
    const { file } = writeConfig(config({ apiUrl: `https://${API_HOST}`, endpoint: `http://${GATEWAY}`, sourceTls: `    tls:\n      caFile: ${files['ca.pem']}\n` }));
    const result = await runCli(['once', '--config', file], { env: { ...NO_PROXY_ENV, TEST_ORG_API_KEY: KEY, HTTPS_PROXY: proxy.url } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^acme-org: FAILED .*407.*the proxy wants credentials/m);
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'CONNECT', refused: 407 });
  });
});

describe('a collector that requires a client certificate (mutual TLS)', () => {
  let front: TlsFront;
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startCollector();
    front = await startTlsFront({ target: collector.url, ...(await pki.server([], ['127.0.0.1'])), requireClientCertFrom: pki.cert });
  });
  afterAll(async () => {
    await Promise.all([front?.close(), collector?.close()]);
  });

  it('takes the CA, certificate and key from OTEL_EXPORTER_OTLP_CERTIFICATE / _CLIENT_CERTIFICATE / _CLIENT_KEY', async () => {
    const { file } = writeConfig(config({ apiUrl: api.url }));
    const result = await runCli(['once', '--config', file], {
      env: {
        ...NO_PROXY_ENV,
        TEST_ORG_API_KEY: KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT: front.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: files['ca.pem']!,
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: files['client.pem']!,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: files['client-key.pem']!,
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(collector.records).toHaveLength(fixtureEvents().length);
    expect(front.handshakes.at(-1)?.clientCommonName).toBe('atlassian-audit-receiver');
    expect(result.stderr).not.toContain('exporter.plaintext');
  });

  it('takes them from exporter.tls in the file, and fails (nothing delivered) with a certificate the collector does not trust', async () => {
    const good = writeConfig(config({ apiUrl: api.url, endpoint: front.url, exporterTls: `  tls:\n    caFile: ${files['ca.pem']}\n    certFile: ${files['client.pem']}\n    keyFile: ${files['client-key.pem']}\n` }));
    const before = collector.records.length;
    const ok = await runCli(['once', '--config', good.file], { env: { ...NO_PROXY_ENV, TEST_ORG_API_KEY: KEY } });
    expect(ok.code, ok.stderr).toBe(0);
    // A fresh state folder: the whole fixture again.
    expect(collector.records.length - before).toBe(fixtureEvents().length);

    const refusalsBefore = front.refusals.length;
    const bad = writeConfig(config({ apiUrl: api.url, endpoint: front.url, exporterTls: `  tls:\n    caFile: ${files['ca.pem']}\n    certFile: ${files['stranger.pem']}\n    keyFile: ${files['stranger-key.pem']}\n` }));
    const refused = await runCli(['once', '--config', bad.file], { env: { ...NO_PROXY_ENV, TEST_ORG_API_KEY: KEY } });
    expect(refused.code).toBe(1);
    expect(front.refusals.length).toBeGreaterThan(refusalsBefore);
    expect(collector.records.length - before).toBe(fixtureEvents().length);

    const none = writeConfig(config({ apiUrl: api.url, endpoint: front.url, exporterTls: `  tls:\n    caFile: ${files['ca.pem']}\n` }));
    const noCert = await runCli(['once', '--config', none.file], { env: { ...NO_PROXY_ENV, TEST_ORG_API_KEY: KEY } });
    expect(noCert.code).toBe(1);
    expect(collector.records.length - before).toBe(fixtureEvents().length);
  });
});

describe('NODE_EXTRA_CA_CERTS', () => {
  it('is enough to trust a private CA with no tls settings at all', async () => {
    const front = await startTlsFront({ target: api.url, ...(await pki.server([], ['127.0.0.1'])) });
    const collector = await startCollector();
    try {
      const { file } = writeConfig(config({ apiUrl: front.url, endpoint: collector.url }));
      const result = await runCli(['once', '--config', file], { env: { ...NO_PROXY_ENV, TEST_ORG_API_KEY: KEY, NODE_EXTRA_CA_CERTS: files['ca.pem']! } });
      expect(result.code, result.stderr).toBe(0);
      expect(collector.records).toHaveLength(fixtureEvents().length);
      expect(front.handshakes.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([front.close(), collector.close()]);
    }
  });
});
