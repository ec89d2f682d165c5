/**
 * deploy/compose: no Docker engine runs here, so compose.yaml is checked statically: the
 * services, that every mounted file exists, that the receiver's config loads and points at the
 * collector service's OTLP/HTTP port, and that the state volume is where the config keeps state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'deploy/compose');

interface Service {
  build?: { context: string };
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  depends_on?: string[];
}
const compose = parse(readFileSync(join(DIR, 'compose.yaml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const receiver = compose.services['receiver']!;
const collector = compose.services['collector']!;
const mounts = (s: Service) => (s.volumes ?? []).map((v) => v.split(':')).map(([from, to]) => ({ from: from!, to: to! }));

describe('docker compose: receiver + collector', () => {
  it('builds the receiver from this repository\'s Dockerfile and pins the collector image', () => {
    expect(existsSync(join(resolve(DIR, receiver.build!.context), 'Dockerfile'))).toBe(true);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(receiver.image).toBe(`atlassian-audit-receiver:${version}`);
    expect(collector.image).toMatch(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
    expect(receiver.depends_on).toContain('collector');
  });

  it('mounts files that exist, and keeps state on a named volume at the config\'s state directory', () => {
    for (const s of [receiver, collector]) for (const m of mounts(s).filter((m) => m.from.startsWith('.'))) expect(existsSync(resolve(DIR, m.from)), m.from).toBe(true);
    const configMount = mounts(receiver).find((m) => m.to === receiver.command![2])!;
    const env = { ATLASSIAN_ORG_ID: 'o-1', ATLASSIAN_ORG_API_KEY: 'k' };
    const config = parseConfig(readFileSync(resolve(DIR, configMount.from), 'utf8'), configMount.to, env);
    const stateMount = mounts(receiver).find((m) => m.to === config.stateDirectory)!;
    expect(Object.keys(compose.volumes)).toContain(stateMount.from);
    expect(receiver.read_only).toBe(true);
    expect(receiver.tmpfs).toContain('/tmp');
    // Every variable the config reads is passed to the container.
    const needed = [...readFileSync(resolve(DIR, configMount.from), 'utf8').matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1]!);
    expect(needed.filter((v) => !(v in (receiver.environment ?? {})))).toEqual([]);
  });

  it('points the receiver at the collector service over the compose network, where the collector listens', () => {
    const configMount = mounts(receiver).find((m) => m.to === receiver.command![2])!;
    const config = parseConfig(readFileSync(resolve(DIR, configMount.from), 'utf8'), configMount.to, { ATLASSIAN_ORG_ID: 'o-1', ATLASSIAN_ORG_API_KEY: 'k' });
    const endpoint = new URL(config.exporter.logsUrl);
    expect(endpoint.hostname).toBe('collector');
    expect(receiver.environment?.['NO_PROXY']).toContain('collector');
    const collectorConfigMount = mounts(collector).find((m) => collector.command!.some((c) => c.endsWith(m.to)))!;
    const collectorConfig = parse(readFileSync(resolve(DIR, collectorConfigMount.from), 'utf8')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      service: { pipelines: Record<string, { receivers: string[] }> };
    };
    expect(collectorConfig.receivers.otlp.protocols.http.endpoint).toBe(`0.0.0.0:${endpoint.port}`);
    expect(collectorConfig.service.pipelines['logs']!.receivers).toContain('otlp');
  });
});
