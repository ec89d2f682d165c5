// In-process checks of how requests leave the process: which proxy, NO_PROXY, the config
// section overriding the variables, loopback never proxied, the token endpoint and the
// self-metrics export on the same path as everything else.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { requestTokens } from '../../src/auth/token-endpoint.js';
import { parseConfig } from '../../src/config/load.js';
import { proxyFromEnvironment } from '../../src/config/proxy.js';
import type { ConfigError, ConfigIssue } from '../../src/errors/config-error.js';
import { sendHttp } from '../../src/http/http-client.js';
import { closeNetwork, configureNetwork } from '../../src/http/network.js';
import { silentLogger } from '../../src/log/pino-logger.js';
import { OtlpHttpMetricExporter } from '../../src/telemetry/otlp-http-metric-exporter.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';
import { createTestPki, type TestPki } from '../helpers/test-pki.js';
import { startTestProxy, type TestProxy } from '../helpers/test-proxy.js';
import { startTlsFront, type TlsFront } from '../helpers/tls-front.js';

const AUTH_HOST = 'auth.example.test';
const GATEWAY = 'otel-gateway.observability:4318';
const CLIENT = { clientId: 'svc-client', clientSecret: 'svc-secret-41d0' };

let pki: TestPki;
let oauth: OAuthServer;
let oauthFront: TlsFront;
let collector: TestCollector;
let proxy: TestProxy;

beforeAll(async () => {
  pki = await createTestPki();
  oauth = await startOAuthServer({ clients: [CLIENT] });
  oauthFront = await startTlsFront({ target: oauth.url, ...(await pki.server([AUTH_HOST])) });
  collector = await startCollector();
  proxy = await startTestProxy({ routes: { [`${AUTH_HOST}:443`]: oauthFront.port, [GATEWAY]: Number(new URL(collector.url).port) } });
});
afterEach(async () => {
  configureNetwork({});
  await closeNetwork();
});
afterAll(async () => {
  await Promise.all([oauth?.close(), oauthFront?.close(), collector?.close(), proxy?.close()]);
});

const get = (url: string) => sendHttp({ method: 'GET', url, headers: {}, timeoutMs: 5_000, maxBodyBytes: 1 << 20 });
const tokens = (tokenUrl: string) =>
  requestTokens(tokenUrl, { grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }, 'service account', 'jira', AbortSignal.timeout(10_000), {
    logger: silentLogger,
    timeoutMs: 5_000,
    retryDeadlineMs: 0,
  });

describe('egress proxy', () => {
  it('carries the token endpoint through a CONNECT tunnel, with the source\'s CA for the target', async () => {
    configureNetwork({ proxy: { httpsProxy: proxy.url, from: 'environment' }, tlsByOrigin: new Map([[`https://${AUTH_HOST}`, { ca: pki.cert }]]) });
    const issued = await tokens(`https://${AUTH_HOST}/oauth/token`);
    expect(issued.accessToken).toMatch(/.+/);
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'CONNECT', target: `${AUTH_HOST}:443`, refused: 0 });
    expect(oauth.requests.at(-1)).toMatchObject({ grantType: 'client_credentials', status: 200 });
  });

  it('leaves NO_PROXY hosts and loopback alone: the proxy sees none of those requests', async () => {
    configureNetwork({ proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: 'observability, .example.test', from: 'environment' } });
    const seen = proxy.requests.length;
    // Direct, so the made-up names do not resolve.
    await expect(get(`http://${GATEWAY}/`)).rejects.toThrow(/ENOTFOUND|EAI_AGAIN/);
    await expect(get(`https://${AUTH_HOST}/oauth/token`)).rejects.toThrow(/ENOTFOUND|EAI_AGAIN/);
    // Loopback is never proxied, whatever NO_PROXY says (as Go's proxy rules and so the Collector's).
    const res = await get(`${collector.url}/v1/logs`);
    expect(res.status).toBeGreaterThan(0);
    expect(proxy.requests.length).toBe(seen);
  });

  it('forwards plain http with an absolute URI (no tunnel), e.g. the self-metrics export to a gateway', async () => {
    configureNetwork({ proxy: { httpProxy: proxy.url, from: 'environment' } });
    const provider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter: new OtlpHttpMetricExporter({ protocol: 'http/protobuf', compression: 'gzip', headers: {} }, `http://${GATEWAY}/v1/metrics`, 5_000), exportIntervalMillis: 60_000 })],
    });
    provider.getMeter('t').createCounter('network.test.counter').add(3);
    await provider.forceFlush();
    await provider.shutdown();
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'POST', target: GATEWAY, path: '/v1/metrics' });
    expect(collector.metrics.some((p) => p.metric === 'network.test.counter' && p.value === 3)).toBe(true);
  });
});

describe('proxy failures', () => {
  it('name the proxy when it cannot be reached, without its credentials', async () => {
    configureNetwork({ proxy: { httpsProxy: 'http://user:pw-55@127.0.0.1:9', from: 'environment' } });
    await expect(get(`https://${AUTH_HOST}/oauth/token`)).rejects.toThrow(/ECONNREFUSED.*\(127\.0\.0\.1:9 is the proxy from HTTPS_PROXY\/HTTP_PROXY: is it up and reachable\?\)/);
    await expect(get(`https://${AUTH_HOST}/oauth/token`)).rejects.not.toThrow(/pw-55/);
  });
});

describe('proxy settings', () => {
  const file = (proxySection = '') => `${proxySection}
sources:
  - name: acme-org
    type: org-events
    orgId: o-1
    apiKey: k
`;
  const env = { HTTPS_PROXY: 'http://env-proxy.example:3128', NO_PROXY: 'internal.example' };

  it('come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, lower case first', () => {
    expect(parseConfig(file(), 'x.yaml', env).proxy).toEqual({ httpsProxy: 'http://env-proxy.example:3128', noProxy: 'internal.example', from: 'environment' });
    expect(parseConfig(file(), 'x.yaml', { ...env, https_proxy: 'http://lower.example:8080' }).proxy?.httpsProxy).toBe('http://lower.example:8080');
    expect(parseConfig(file(), 'x.yaml', {}).proxy).toBeUndefined();
  });

  it('are replaced as a whole by the file\'s proxy: section; proxy: {} means no proxy', () => {
    expect(parseConfig(file('proxy:\n  httpsProxy: http://file-proxy.example:3128\n'), 'x.yaml', env).proxy).toEqual({ httpsProxy: 'http://file-proxy.example:3128', from: 'config' });
    expect(parseConfig(file('proxy: {}\n'), 'x.yaml', env).proxy).toBeUndefined();
  });

  it('name the variable or key of a malformed proxy URL, never its credentials', () => {
    const issues: ConfigIssue[] = [];
    proxyFromEnvironment({ HTTPS_PROXY: 'proxy.example:3128', http_proxy: 'http://u:pw-77@proxy.example:3128/some/path' }, issues);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'HTTPS_PROXY: must be an http:// or https:// proxy URL',
      'http_proxy: must be the proxy\'s origin only (scheme, host, port)',
    ]);
    let described = '';
    try {
      parseConfig(file('proxy:\n  httpsProxy: socks5://u:pw-77@p.example\n'), 'x.yaml', {});
    } catch (err) {
      described = (err as ConfigError).describe();
    }
    expect(described).toContain('proxy.httpsProxy: must be an http:// or https:// proxy URL');
    expect(described).not.toContain('pw-77');
  });
});
