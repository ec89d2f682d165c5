import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { listensBeyondLoopback, metricsUrlFor } from '../../src/telemetry/config.js';

const base = (telemetry = '') => `
${telemetry}
sources:
  - name: acme-org
    type: org-events
    orgId: 8a1b-22
    apiKey: k
`;

function issues(text: string): string[] {
  try {
    parseConfig(text, 'x.yaml', {});
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('telemetry config', () => {
  it('defaults: health on 127.0.0.1:13134, OTLP metrics every 60s, no /metrics', () => {
    expect(parseConfig(base(), 'x.yaml', {}).telemetry).toEqual({
      health: { enabled: true, endpoint: { host: '127.0.0.1', port: 13134 } },
      metrics: { otlp: true, prometheus: false, interval: 60_000 },
    });
    expect(parseConfig(base('telemetry: {}'), 'x.yaml', {}).telemetry?.health.endpoint.port).toBe(13134);
  });

  it('takes host:port forms, any address (Prometheus in a cluster scrapes the pod IP), and the old allowNonLoopback key', () => {
    const t = (yaml: string) => parseConfig(base(yaml), 'x.yaml', {}).telemetry!;
    expect(t('telemetry: { health: { endpoint: "[::1]:9000" } }').health.endpoint).toEqual({ host: '::1', port: 9000 });
    expect(t('telemetry: { health: { endpoint: "localhost:0" } }').health.endpoint).toEqual({ host: 'localhost', port: 0 });
    expect(t('telemetry: { health: { endpoint: "0.0.0.0:13134", allowNonLoopback: true } }').health.endpoint.host).toBe('0.0.0.0');
    expect(t('telemetry: { health: { enabled: false, endpoint: "0.0.0.0:13134" } }').health.enabled).toBe(false);
    const open = t('telemetry: { health: { endpoint: "0.0.0.0:13134" } }').health.endpoint;
    expect(open).toEqual({ host: '0.0.0.0', port: 13134 });
    // run warns at start-up when the endpoint is reachable from other hosts
    expect(listensBeyondLoopback(open)).toBe(true);
    expect(listensBeyondLoopback(t('').health.endpoint)).toBe(false);
    expect(listensBeyondLoopback({ host: '::1', port: 1 })).toBe(false);
  });

  it('reports every telemetry problem with its key', () => {
    expect(
      issues(base('telemetry:\n  health: { endpoint: "13134", bogus: 1 }\n  metrics: { interval: 10ms, prometheus: yes please }\n  extra: 1')),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^telemetry\.health\.endpoint: must be host:port/),
        'telemetry.health: unknown key: bogus',
        'telemetry.metrics.interval: must be from 1s to 1d',
        'telemetry.metrics.prometheus: must be true or false',
        'telemetry: unknown key: extra',
      ]),
    );
    expect(issues(base('telemetry: { health: { enabled: false }, metrics: { prometheus: true } }'))).toEqual([
      'telemetry.metrics.prometheus: /metrics is served by the health endpoint: also set telemetry.health.enabled: true',
    ]);
  });

  it('sends metrics next to the logs', () => {
    expect(metricsUrlFor('http://localhost:4318/v1/logs')).toBe('http://localhost:4318/v1/metrics');
    expect(metricsUrlFor('https://gw.example/otlp/v1/logs')).toBe('https://gw.example/otlp/v1/metrics');
    expect(metricsUrlFor('https://gw.example/custom/logs')).toBe('https://gw.example/v1/metrics');
  });
});
