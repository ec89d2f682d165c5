/**
 * deploy/helm/values.yaml against the official opentelemetry-collector chart's values schema
 * (test/fixtures/opentelemetry-collector-helm, see PROVENANCE.md there), plus the wiring the
 * schema leaves open: the receiver sidecar, its volumes, probes, secrets and config.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { collectorConfig as shippedCollectorConfig, envDefault } from './collector-files.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHART = `${ROOT}test/fixtures/opentelemetry-collector-helm/`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(asObj) : []);
const readYaml = (file: string): Obj => asObj(parse(readFileSync(file, 'utf8')));

/**
 * Helm's merge of user values over chart defaults: maps merge key by key, anything else
 * (lists included) replaces, and a user `null` deletes the key.
 */
function coalesce(defaults: unknown, overrides: unknown): unknown {
  if (!isObj(defaults) || !isObj(overrides)) return overrides === undefined ? defaults : overrides;
  const out: Obj = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete out[key];
    else out[key] = coalesce(defaults[key], value);
  }
  return out;
}

describe('deploy/helm/values.yaml', () => {
  const chartValues = readYaml(`${CHART}values.yaml`);
  const values = readYaml(`${ROOT}deploy/helm/values.yaml`);
  const merged = asObj(coalesce(chartValues, values));
  // Every destination merged; the chart keeps its own service.telemetry.
  const collectorConfig = shippedCollectorConfig();
  delete asObj(collectorConfig.service).telemetry;
  const sidecar = asList(values.extraContainers).find((c) => c.name === 'atlassian-audit-receiver') ?? {};
  const manifests = asList(values.extraManifests);

  // The schema's `$schema` names no draft; read it as 2020-12 (see the fixture's PROVENANCE.md).
  const schema = asObj(JSON.parse(readFileSync(`${CHART}values.schema.json`, 'utf8')));
  delete schema.$schema;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it('validates, merged over the chart defaults, against the chart values.schema.json', () => {
    const ok = validate(merged);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the chart rejects what it should (the schema check is not vacuous)', () => {
    expect(validate(coalesce(merged, { mode: 'sidecar' }))).toBe(false);
    expect(validate(coalesce(merged, { extraContainers: [{ image: 'x' }] }))).toBe(false);
    expect(validate(coalesce(merged, { image: { repositry: 'x' } }))).toBe(false);
  });

  it('runs the collector config of otel-collector/*.yaml, all destinations (chart defaults removed, only chart telemetry added)', () => {
    const effective = asObj(structuredClone(merged.config));
    const service = asObj(effective.service);
    expect(Object.keys(asObj(service.telemetry))).toEqual(expect.arrayContaining(['metrics']));
    delete service.telemetry;
    expect(effective).toEqual(collectorConfig);
  });

  it('is one replica, replaced (never rolled), from the contrib image', () => {
    expect(merged.mode).toBe('deployment');
    expect(merged.replicaCount).toBe(1);
    expect(asObj(merged.rollout).strategy).toBe('Recreate');
    expect(asObj(merged.image).repository).toBe('otel/opentelemetry-collector-contrib');
    for (const [name, port] of Object.entries(asObj(merged.ports))) expect(asObj(port).enabled, `ports.${name}`).toBe(false);
  });

  it('adds the receiver as a sidecar: image, args, non-root read-only container', () => {
    const version = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;
    expect(sidecar.image).toBe(`atlassian-audit-receiver:${version}`);
    expect(sidecar.args).toEqual(['run', '--config', '/etc/atlassian-audit-receiver/config.yaml']);
    expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(asObj(merged.securityContext)).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  it('takes every sidecar environment variable from a Secret', () => {
    const env = asList(sidecar.env);
    expect(env.length).toBeGreaterThan(0);
    for (const e of env) {
      expect(e.value, `${String(e.name)} must not be inline`).toBeUndefined();
      expect(asObj(asObj(e.valueFrom).secretKeyRef).name, String(e.name)).toEqual(expect.any(String));
    }
  });

  it('probes /healthz on 127.0.0.1:13134 from inside the container, and keeps /readyz out of pod readiness', () => {
    const probe = (p: unknown) => (asObj(asObj(p).exec).command as string[] | undefined)?.join(' ') ?? '';
    expect(probe(sidecar.livenessProbe)).toContain("fetch('http://127.0.0.1:13134/healthz'");
    // A failing Atlassian source must not take the collector sharing the pod out of its Service.
    expect(sidecar.readinessProbe).toBeUndefined();
  });

  it('mounts only declared volumes, with state on the persistent claim the release creates', () => {
    const volumes = new Map(asList(values.extraVolumes).map((v) => [v.name, v]));
    const mounts = [...asList(sidecar.volumeMounts), ...asList(values.extraVolumeMounts)];
    for (const m of mounts) expect(volumes.has(m.name), `volume ${String(m.name)}`).toBe(true);
    const claim = asObj(asObj(volumes.get('state')).persistentVolumeClaim).claimName;
    const pvc = manifests.find((m) => m.kind === 'PersistentVolumeClaim' && asObj(m.metadata).name === claim);
    expect(pvc, `PersistentVolumeClaim ${String(claim)}`).toBeDefined();
    expect(asObj(asObj(pvc?.metadata).annotations)['helm.sh/resource-policy']).toBe('keep');
    const configMap = asObj(asObj(volumes.get('receiver-config')).configMap).name;
    expect(manifests.some((m) => m.kind === 'ConfigMap' && asObj(m.metadata).name === configMap)).toBe(true);

    const receiverState = asList(sidecar.volumeMounts).find((m) => m.name === 'state')?.mountPath;
    expect(receiverState).toBe('/var/lib/atlassian-audit-receiver');
    const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^VOLUME \\["?${String(receiverState)}"?\\]?$`, 'm'));
    const collectorState = asList(values.extraVolumeMounts).find((m) => m.name === 'state')?.mountPath as string;
    const storage = asObj(asObj(collectorConfig.extensions).file_storage);
    expect(envDefault(storage.directory as string)).toMatch(new RegExp(`^${collectorState}/`));
    expect(envDefault(asObj(storage.compaction).directory as string)).toMatch(new RegExp(`^${collectorState}/`));
    expect(asList(sidecar.volumeMounts).some((m) => m.mountPath === '/tmp')).toBe(true);
  });

  it('ships a receiver config that the receiver itself accepts, exporting to this collector', () => {
    const configMap = manifests.find((m) => m.kind === 'ConfigMap') ?? {};
    const text = asObj(configMap.data)['config.yaml'] as string;
    const referenced = [...text.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
    const provided = asList(sidecar.env).map((e) => e.name);
    expect(provided).toEqual(expect.arrayContaining(referenced));
    const env = Object.fromEntries(referenced.map((name) => [name, name === 'ATLASSIAN_ORG_ID' ? 'org-1' : 'secret-value']));
    const config = parseConfig(text, '/etc/atlassian-audit-receiver/config.yaml', env);
    expect(config.stateDirectory.startsWith('/var/lib/atlassian-audit-receiver/')).toBe(true);
    const otlpHttp = envDefault(asObj(asObj(asObj(asObj(collectorConfig.receivers).otlp).protocols).http).endpoint as string);
    expect(config.exporter.logsUrl).toBe(`http://${otlpHttp}/v1/logs`);
  });
});
