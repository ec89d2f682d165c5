import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';

const config = (exporter = '') => `
${exporter}
sources:
  - name: acme-org
    type: org-events
    orgId: 8a1b-22
    apiKey: k
`;

function issues(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, 'x.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('where logs are sent, and why', () => {
  it('appends /v1/logs to a base URL and says so', () => {
    const e = parseConfig(config('exporter: { endpoint: "http://127.0.0.1:4318/" }'), 'x.yaml', {}).exporter;
    expect(e).toMatchObject({ logsUrl: 'http://127.0.0.1:4318/v1/logs', logsUrlFrom: 'exporter.endpoint + /v1/logs' });
    expect(parseConfig(config(), 'x.yaml', {}).exporter).toMatchObject({ logsUrl: 'http://localhost:4318/v1/logs', logsUrlFrom: 'the default http://localhost:4318 + /v1/logs' });
  });

  it('takes a base URL that already ends in /v1/logs as the full URL instead of doubling it', () => {
    const e = parseConfig(config('exporter: { endpoint: "https://gw.example/otlp/v1/logs/" }'), 'x.yaml', {}).exporter;
    expect(e).toMatchObject({ logsUrl: 'https://gw.example/otlp/v1/logs', logsUrlFrom: 'exporter.endpoint, which already ends in /v1/logs, used as the full URL' });
    const fromEnv = parseConfig(config(), 'x.yaml', { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://gw.example/v1/logs' }).exporter;
    expect(fromEnv.logsUrl).toBe('https://gw.example/v1/logs');
    const signal = parseConfig(config(), 'x.yaml', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://gw.example/custom' }).exporter;
    expect(signal).toMatchObject({ logsUrl: 'https://gw.example/custom', logsUrlFrom: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, used as the full URL' });
  });

  it('refuses another signal\'s path with the fix', () => {
    expect(issues(config('exporter: { endpoint: "https://gw.example/v1/traces" }'))).toEqual([
      "exporter.endpoint: ends in /v1/traces, the trace path: give the collector's base URL (e.g. http://localhost:4318); the receiver adds /v1/logs",
    ]);
    expect(issues(config(), { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://gw.example/v1/metrics' })).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT: ends in /v1/metrics, the metric path: give the collector's base URL (e.g. http://localhost:4318); the receiver adds /v1/logs",
    ]);
  });
});
