/**
 * Offline checks of otel-collector/*.yaml (base.yaml merged with each destination file, and with
 * all of them): pipeline wiring, each component's config against the
 * component's config schema (test/fixtures/otelcol-config, see PROVENANCE.md there), and every
 * attribute the OTTL statements read against what the receiver's mappings emit.
 * Nothing here runs a collector; what only a running collector could check is listed in
 * test/fixtures/otelcol-config/PROVENANCE.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emittedAttributeKeys, type CatalogSamples } from '../../src/sources/attribute-catalog.js';
import { collectorConfig, DESTINATION_FILES, envDefault } from './collector-files.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA_ROOT = `${ROOT}test/fixtures/otelcol-config/`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Component ids are `type[/name]`. */
const typeOf = (id: string): string => id.split('/')[0]!;

// ---------------------------------------------------------------------------------------------
// Schema store: reads the schemagen `config.schema.yaml` format and inlines it into one plain,
// closed JSON Schema per component (format described in test/fixtures/otelcol-config/PROVENANCE.md).
// ---------------------------------------------------------------------------------------------

const CORE_NS = 'go.opentelemetry.io/collector/';
const CONTRIB_NS = 'github.com/open-telemetry/opentelemetry-collector-contrib/';

/** Refs no saved schema defines; the collector reads them as plain strings. */
const EXTERNAL_REFS: Readonly<Record<string, Obj>> = {
  'core/pipeline#id': { type: 'string' },
};

/** Which schema validates each component type (`dir` or `dir#def`), by config section. */
const COMPONENT_SCHEMAS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  receivers: { otlp: 'core/receiver/otlpreceiver' },
  processors: {
    memory_limiter: 'core/processor/memorylimiterprocessor',
    transform: 'contrib/processor/transformprocessor',
  },
  exporters: {
    datadog: 'contrib/pkg/datadog/config#config',
    elasticsearch: 'contrib/exporter/elasticsearchexporter',
    otlp_http: 'core/exporter/otlphttpexporter',
  },
  connectors: { routing: 'contrib/connector/routingconnector' },
  extensions: {
    health_check: 'contrib/extension/healthcheckextension',
    file_storage: 'local/extension/storage/filestorage',
    azure_auth: 'contrib/extension/azureauthextension',
  },
};

/**
 * Types with no offline schema here: the real collector validates them when
 * `npm run test:collector` starts it with these files (test/collector/).
 */
const VALIDATED_BY_THE_REAL_COLLECTOR = new Set(['oauth2client']);

class SchemaStore {
  private readonly docs = new Map<string, Obj>();
  readonly loaded = new Set<string>();

  constructor(private readonly root: string) {}

  private load(dir: string): Obj {
    let doc = this.docs.get(dir);
    if (doc) return doc;
    const file = `${this.root}${dir}/config.schema.yaml`;
    if (!existsSync(file)) throw new Error(`no schema file ${dir}/config.schema.yaml in test/fixtures/otelcol-config`);
    doc = applyErrata(dir, asObj(parse(readFileSync(file, 'utf8'))));
    this.docs.set(dir, doc);
    this.loaded.add(dir);
    return doc;
  }

  /** Maps a repository-relative package path to its fixture folder. */
  private packageDir(repo: 'core' | 'contrib', path: string): string {
    const dir = posix.normalize(`${repo}/${path}`);
    // internal/healthcheck has no upstream schema; the fork's copy stands in (see PROVENANCE.md).
    if (repo === 'contrib' && !existsSync(`${this.root}${dir}`) && existsSync(`${this.root}contrib-iblancasa-fork/${path}`)) {
      return posix.normalize(`contrib-iblancasa-fork/${path}`);
    }
    return dir;
  }

  /** `<package>.<def>` split at the last dot; a ref without a slash names a local `$defs` entry. */
  private deref(ref: string, fromDir: string): { schema: Obj; dir: string } {
    if (!ref.includes('/')) return { schema: this.def(fromDir, ref), dir: fromDir };
    const dot = ref.lastIndexOf('.');
    const pkg = ref.slice(0, dot);
    const def = ref.slice(dot + 1);
    const fromRepo = fromDir.startsWith('core/') ? 'core' : 'contrib';
    let dir: string;
    if (pkg.startsWith(CORE_NS)) dir = this.packageDir('core', pkg.slice(CORE_NS.length));
    else if (pkg.startsWith(CONTRIB_NS)) dir = this.packageDir('contrib', pkg.slice(CONTRIB_NS.length));
    else if (pkg.startsWith('/')) dir = this.packageDir(fromRepo, pkg.slice(1));
    else if (pkg.startsWith('./') || pkg.startsWith('../')) dir = posix.normalize(posix.join(fromDir, pkg));
    else throw new Error(`unsupported $ref ${ref} in ${fromDir}`);
    const external = EXTERNAL_REFS[`${dir}#${def}`];
    if (external) return { schema: external, dir };
    return { schema: this.def(dir, def), dir };
  }

  private def(dir: string, name: string): Obj {
    const schema = asObj(this.load(dir).$defs)[name];
    if (!isObj(schema)) throw new Error(`$defs.${name} not found in ${dir}`);
    return schema;
  }

  /** The component's schema with every $ref and allOf inlined and every object closed. */
  component(spec: string): Obj {
    const [dir, def] = spec.split('#') as [string, string | undefined];
    return this.expand(def ? this.def(dir, def) : this.load(dir), dir, 0);
  }

  private expand(node: Obj, dir: string, depth: number): Obj {
    if (depth > 50) throw new Error(`$ref nesting too deep in ${dir} (cycle?)`);
    let out: Obj = {};
    if (typeof node.$ref === 'string') {
      const target = this.deref(node.$ref, dir);
      out = this.expand(target.schema, target.dir, depth + 1);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' || key === '$defs' || key === 'allOf' || key === 'description') continue;
      if (key === 'properties') {
        const props: Obj = { ...asObj(out.properties) };
        for (const [name, sub] of Object.entries(asObj(value))) props[name] = this.expand(asObj(sub), dir, depth + 1);
        out.properties = props;
      } else if ((key === 'items' || key === 'additionalProperties') && isObj(value)) {
        out[key] = this.expand(value, dir, depth + 1);
      } else {
        out[key] = value;
      }
    }
    // Squashed (embedded) structs: their keys sit at the parent's level.
    for (const member of Array.isArray(node.allOf) ? node.allOf : []) {
      const expanded = this.expand(asObj(member), dir, depth + 1);
      out.properties = { ...asObj(out.properties), ...asObj(expanded.properties) };
      if (out.type === undefined && expanded.type !== undefined) out.type = expanded.type;
    }
    // The collector rejects unknown keys, so every object with known keys is closed.
    if (isObj(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  }
}

/**
 * Known defects of the saved schemas, corrected here rather than in the copied files.
 * datadog: pkg/datadog/config/config.go declares `configretry.BackOffConfig
 * mapstructure:"retry_on_failure"`, but the saved schema squashes it into the top level.
 */
function applyErrata(dir: string, doc: Obj): Obj {
  if (dir !== 'contrib/pkg/datadog/config') return doc;
  const config = asObj(asObj(doc.$defs).config);
  const retryRef = 'go.opentelemetry.io/collector/config/configretry.back_off_config';
  const allOf = Array.isArray(config.allOf) ? config.allOf : [];
  if (!allOf.some((m) => asObj(m).$ref === retryRef)) throw new Error('datadog erratum no longer applies; remove it');
  config.allOf = allOf.filter((m) => asObj(m).$ref !== retryRef);
  config.properties = { ...asObj(config.properties), retry_on_failure: { $ref: retryRef } };
  return doc;
}

/** `${env:NAME}`, `${env:NAME:-default}` and `${NAME}` become the default or a placeholder, as a type check needs. */
function substituteEnv(value: unknown): unknown {
  if (typeof value === 'string') {
    // A value that is one whole reference gets the YAML type of what it resolves to, as in the collector.
    if (/^\$\{env:[A-Za-z_][A-Za-z0-9_]*:-[^${}]*\}$/.test(value)) return parse(envDefault(value)) as unknown;
    return envDefault(value).replace(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, dflt?: string) => dflt ?? `env-${name}`);
  }
  if (Array.isArray(value)) return value.map(substituteEnv);
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v)]));
  return value;
}

/** A null value means "defaults" to the collector (e.g. `health_check:`); drop it before type checks. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (isObj(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
  return value;
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  ajv.addVocabulary(['x-customType', 'x-pointer', 'x-optional']);
  // Go time.ParseDuration syntax.
  ajv.addFormat('duration', /^(0|[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/);
  ajv.addFormat('date-time', true);
  return ajv;
}

const describeErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : ''}`);

/** Validates one component config; returns readable errors (empty when valid). */
function validateComponent(store: SchemaStore, ajv: Ajv2020, section: string, id: string, config: unknown): string[] {
  const spec = COMPONENT_SCHEMAS[section]?.[typeOf(id)];
  if (!spec && VALIDATED_BY_THE_REAL_COLLECTOR.has(typeOf(id))) return [];
  if (!spec) return [`${section}.${id}: no offline schema for type "${typeOf(id)}"; copy it into test/fixtures/otelcol-config and map it in COMPONENT_SCHEMAS`];
  const validate = ajv.compile(store.component(spec));
  const instance = dropNulls(substituteEnv(config ?? {}));
  return validate(instance) ? [] : describeErrors(validate.errors).map((e) => `${section}.${id}${e}`);
}

// ---------------------------------------------------------------------------------------------
// OTTL: which log attributes a statement reads and writes.
// ---------------------------------------------------------------------------------------------

/** `log.attributes["k"]` (or bare `attributes["k"]` in a `context: log` route); not resource./scope. */
const LOG_ATTRIBUTE = /(?<![\w.])(?:log\.)?attributes\["([^"\\]+)"\]/g;
const EDITOR_TARGET = /^\s*(set|append|delete_key|merge_maps|replace_pattern|truncate_all|limit)\(\s*(?:log\.)?attributes\["([^"\\]+)"\]/;

export function ottlAccess(statement: string): { writes: string[]; reads: string[] } {
  const all = [...statement.matchAll(LOG_ATTRIBUTE)].map((m) => m[1]!);
  const target = EDITOR_TARGET.exec(statement)?.[2];
  if (target === undefined) return { writes: [], reads: all };
  const reads = [...all];
  reads.splice(reads.indexOf(target), 1);
  return { writes: [target], reads };
}

function loadCatalogSamples(): CatalogSamples {
  const dir = `${ROOT}test/fixtures/attribute-catalog/`;
  const samples: Record<string, unknown[]> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.samples.json'))) {
    samples[file.slice(0, -'.samples.json'.length)] = JSON.parse(readFileSync(dir + file, 'utf8')) as unknown[];
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------

interface Pipeline { receivers: string[]; processors: string[]; exporters: string[] }

function pipelinesOf(config: Obj): Map<string, Pipeline> {
  const out = new Map<string, Pipeline>();
  for (const [id, raw] of Object.entries(asObj(asObj(config.service).pipelines))) {
    const p = asObj(raw);
    out.set(id, { receivers: asStrings(p.receivers), processors: asStrings(p.processors), exporters: asStrings(p.exporters) });
  }
  return out;
}

/** Structural errors: references, connector use, extensions, storage and auth wiring. */
export function wiringErrors(config: Obj): string[] {
  const errors: string[] = [];
  const defined = (section: string) => new Set(Object.keys(asObj(config[section])));
  const receivers = defined('receivers');
  const processors = defined('processors');
  const exporters = defined('exporters');
  const connectors = defined('connectors');
  const extensions = defined('extensions');
  const pipelines = pipelinesOf(config);
  const service = asObj(config.service);
  const enabledExtensions = asStrings(service.extensions);

  if (pipelines.size === 0) errors.push('service.pipelines is empty');
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
  const connectorAsExporter = new Map<string, string[]>();
  const connectorAsReceiver = new Map<string, string[]>();
  for (const [id, p] of pipelines) {
    if (!/^(logs|metrics|traces)(\/[\w.-]+)?$/.test(id)) errors.push(`pipeline id ${id} is not signal[/name]`);
    if (p.receivers.length === 0) errors.push(`${id}: no receivers`);
    if (p.exporters.length === 0) errors.push(`${id}: no exporters`);
    for (const r of p.receivers) {
      if (connectors.has(r)) connectorAsReceiver.set(r, [...(connectorAsReceiver.get(r) ?? []), id]);
      else if (receivers.has(r)) used.receivers.add(r);
      else errors.push(`${id}: receiver ${r} is not defined`);
    }
    for (const proc of p.processors) {
      if (processors.has(proc)) used.processors.add(proc);
      else errors.push(`${id}: processor ${proc} is not defined`);
    }
    if (new Set(p.processors).size !== p.processors.length) errors.push(`${id}: a processor is listed twice`);
    for (const e of p.exporters) {
      if (connectors.has(e)) connectorAsExporter.set(e, [...(connectorAsExporter.get(e) ?? []), id]);
      else if (exporters.has(e)) used.exporters.add(e);
      else errors.push(`${id}: exporter ${e} is not defined`);
    }
  }
  for (const c of connectors) {
    const from = connectorAsExporter.get(c) ?? [];
    const to = connectorAsReceiver.get(c) ?? [];
    if (from.length === 0) errors.push(`connector ${c} is not an exporter of any pipeline`);
    if (to.length === 0) errors.push(`connector ${c} is not a receiver of any pipeline`);
    if (from.some((p) => to.includes(p))) errors.push(`connector ${c} feeds the pipeline it comes from`);
  }
  for (const [section, set] of Object.entries(used)) {
    for (const id of defined(section)) if (!set.has(id)) errors.push(`${section}.${id} is defined but used by no pipeline`);
  }
  for (const ext of enabledExtensions) if (!extensions.has(ext)) errors.push(`service.extensions: ${ext} is not defined`);
  for (const ext of extensions) if (!enabledExtensions.includes(ext)) errors.push(`extensions.${ext} is defined but not in service.extensions`);

  // Routing connector: every target pipeline exists and receives from that connector.
  for (const c of connectors) {
    if (typeOf(c) !== 'routing') continue;
    const cfg = asObj(asObj(config.connectors)[c]);
    const targets = [...asStrings(cfg.default_pipelines), ...(Array.isArray(cfg.table) ? cfg.table : []).flatMap((t) => asStrings(asObj(t).pipelines))];
    for (const t of targets) {
      if (!pipelines.get(t)?.receivers.includes(c)) errors.push(`${c} routes to ${t}, which does not receive from ${c}`);
    }
    for (const p of connectorAsReceiver.get(c) ?? []) {
      if (!targets.includes(p)) errors.push(`${p} receives from ${c} but no route leads to it`);
    }
  }

  // Exporter-side wiring: storage and authenticators must be enabled extensions.
  for (const [id, raw] of Object.entries(asObj(config.exporters))) {
    const cfg = asObj(raw);
    const storage = asObj(cfg.sending_queue).storage;
    if (typeof storage === 'string' && !enabledExtensions.includes(storage)) errors.push(`exporters.${id}: storage ${storage} is not an enabled extension`);
    const authenticator = asObj(cfg.auth).authenticator;
    if (typeof authenticator === 'string' && !enabledExtensions.includes(authenticator)) errors.push(`exporters.${id}: authenticator ${authenticator} is not an enabled extension`);
  }
  return errors;
}

/** Keys that hold credentials must come from the environment, never from the file. */
function inlineSecrets(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => inlineSecrets(v, `${path}[${i}]`));
  if (!isObj(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    const secretish = /(^|_)(key|api_key|password|secret|client_secret|token|installation_token)$/.test(key);
    if (secretish && typeof value === 'string' && !/^\$\{(env|file):[^}]+\}$/.test(value)) return [here];
    return inlineSecrets(value, here);
  });
}

// ---------------------------------------------------------------------------------------------

describe('otel-collector/*.yaml', () => {
  const config = collectorConfig();
  const store = new SchemaStore(SCHEMA_ROOT);
  const ajv = newAjv();
  /** Every component of these sections checked against its offline config schema. */
  const schemaErrors = (cfg: Record<string, unknown>, sections: readonly string[]): string[] =>
    sections.flatMap((section) => Object.entries(asObj(cfg[section])).flatMap(([id, c]) => validateComponent(store, ajv, section, id, c)));

  it('wires every pipeline to defined components, uses each connector on both sides and enables its extensions', () => {
    expect(wiringErrors(config)).toEqual([]);
  });

  it.each(DESTINATION_FILES)('base.yaml + %s.yaml alone is complete: each destination is independent', (destination) => {
    const alone = collectorConfig([destination]);
    expect(wiringErrors(alone)).toEqual([]);
    const pipelines = Object.keys(asObj(asObj(alone.service).pipelines));
    expect(pipelines.length).toBeGreaterThan(0);
    // Nothing of another destination leaks in: every exporter is this file's own.
    const own = Object.keys(asObj(collectorConfig([destination]).exporters));
    for (const other of DESTINATION_FILES.filter((d) => d !== destination)) {
      for (const id of Object.keys(asObj(collectorConfig([other]).exporters))) expect(own).not.toContain(id);
    }
  });

  it('sentinel-managed-identity.yaml (azure_auth, instead of sentinel.yaml) is wired and valid offline', () => {
    const alt = collectorConfig(['sentinel-managed-identity']);
    expect(wiringErrors(alt)).toEqual([]);
    expect(schemaErrors(alt, ['exporters', 'extensions'])).toEqual([]);
    expect(asObj(alt.extensions).azure_auth).toBeDefined();
  });

  it('datadog-otlp.yaml (Datadog OTLP intake, instead of datadog.yaml) is wired, valid offline, keyed from the environment, with datadog.yaml\'s statements', () => {
    const alt = collectorConfig(['datadog-otlp']);
    expect(wiringErrors(alt)).toEqual([]);
    expect(schemaErrors(alt, ['processors', 'exporters'])).toEqual([]);
    expect(inlineSecrets(alt)).toEqual([]);
    expect(asObj(asObj(alt.exporters)['otlp_http/datadog']).headers).toEqual([{ name: 'dd-api-key', value: '${env:DD_API_KEY}' }]);
    expect(envDefault(String(asObj(asObj(alt.exporters)['otlp_http/datadog']).logs_endpoint))).toBe('https://otlp.datadoghq.com/v1/logs');
    // One set of Datadog statements: the file the suite runs proves the file it cannot run.
    expect(asObj(asObj(alt.processors)['transform/datadog'])).toEqual(asObj(asObj(config.processors)['transform/datadog']));
  });

  it('validates every component against its offline config schema', () => {
    expect(schemaErrors(config, ['receivers', 'processors', 'exporters', 'connectors', 'extensions'])).toEqual([]);
  });

  it('keeps the delivery guarantee: persistent queues, no batch processor, memory_limiter first', () => {
    for (const [id, raw] of Object.entries(asObj(config.exporters))) {
      const queue = asObj(asObj(raw).sending_queue);
      expect(queue.storage, `exporters.${id}.sending_queue.storage`).toBe('file_storage');
      expect(queue.enabled, `exporters.${id}.sending_queue.enabled`).not.toBe(false);
      expect(queue.wait_for_result, `exporters.${id}.sending_queue.wait_for_result`).toBeUndefined();
    }
    for (const [id, p] of pipelinesOf(config)) {
      expect(p.processors.map(typeOf), `${id} must not use the asynchronous batch processor`).not.toContain('batch');
      if (p.receivers.some((r) => typeOf(r) === 'otlp')) expect(p.processors[0], `${id}: memory_limiter first`).toBe('memory_limiter');
    }
    expect(envDefault(asObj(asObj(config.extensions).file_storage).directory as string)).toMatch(/^\/var\/lib\/otelcol\//);
  });

  it('takes every secret from the environment', () => {
    expect(inlineSecrets(config)).toEqual([]);
    expect(asObj(asObj(config.exporters).datadog).api).toMatchObject({ key: '${env:DD_API_KEY}' });
  });

  it('reads only attributes the receiver emits (or that an earlier statement wrote)', () => {
    const emitted = emittedAttributeKeys(loadCatalogSamples());
    const problems: string[] = [];
    const processors = asObj(config.processors);
    for (const [pipelineId, p] of pipelinesOf(config)) {
      const written = new Set<string>();
      for (const procId of p.processors.filter((id) => typeOf(id) === 'transform')) {
        for (const group of Array.isArray(asObj(processors[procId]).log_statements) ? (asObj(processors[procId]).log_statements as unknown[]) : []) {
          for (const statement of asStrings(asObj(group).statements)) {
            const { reads, writes } = ottlAccess(statement);
            for (const key of reads) if (!emitted.has(key) && !written.has(key)) problems.push(`${pipelineId} ${procId}: reads attributes["${key}"]`);
            for (const key of writes) written.add(key);
          }
        }
      }
    }
    for (const [id, raw] of Object.entries(asObj(config.connectors))) {
      for (const entry of Array.isArray(asObj(raw).table) ? (asObj(raw).table as unknown[]) : []) {
        const e = asObj(entry);
        for (const text of [e.condition, e.statement]) {
          if (typeof text !== 'string') continue;
          if (e.context !== 'log') problems.push(`${id}: route "${text}" must use context: log (atlassian.* are log attributes)`);
          for (const key of ottlAccess(text).reads) if (!emitted.has(key)) problems.push(`${id}: route reads attributes["${key}"]`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes transform statements with context-prefixed paths (context inference) and no bare attributes', () => {
    for (const [id, raw] of Object.entries(asObj(config.processors))) {
      if (typeOf(id) !== 'transform') continue;
      for (const group of asObj(raw).log_statements as unknown[]) {
        expect(asObj(group).context, `${id}: let the context be inferred from the paths`).toBeUndefined();
        for (const s of asStrings(asObj(group).statements)) {
          expect(s, `${id}: ${s}`).toMatch(/^(set|append)\((log|scope)\./);
          expect(s.replace(/(log|scope|resource)\.attributes\[/g, ''), `${id}: unprefixed path in ${s}`).not.toMatch(/(?<![\w.])attributes\[/);
          expect((s.match(/\(/g) ?? []).length, `${id}: unbalanced parentheses in ${s}`).toBe((s.match(/\)/g) ?? []).length);
          expect((s.match(/"/g) ?? []).length % 2, `${id}: unbalanced quotes in ${s}`).toBe(0);
        }
      }
    }
  });

  it('maps the attributes Datadog and Elastic (ECS) expect', () => {
    const written = (id: string) => new Set((asObj(asObj(config.processors)[id]).log_statements as unknown[])
      .flatMap((g) => asStrings(asObj(g).statements)).flatMap((s) => ottlAccess(s).writes));
    expect([...written('transform/datadog')]).toEqual(expect.arrayContaining(['usr.id', 'usr.email', 'usr.name', 'network.client.ip', 'evt.name', 'evt.outcome']));
    expect([...written('transform/elastic_ecs')]).toEqual(expect.arrayContaining(['event.action', 'event.category', 'event.outcome', 'source.ip',
      'source.geo.city_name', 'source.geo.country_name', 'related.ip', 'related.user']));
  });
});

describe('the offline validator itself', () => {
  const store = new SchemaStore(SCHEMA_ROOT);
  const ajv = newAjv();

  it('rejects unknown keys, also inside squashed structs and nested objects', () => {
    expect(validateComponent(store, ajv, 'exporters', 'datadog', { api: { key: 'k', sitee: 'x' } }).join()).toMatch(/sitee/);
    expect(validateComponent(store, ajv, 'exporters', 'otlp_http/x', { endpoint: 'https://x', sending_queue: { storagee: 'file_storage' } }).join()).toMatch(/storagee/);
    expect(validateComponent(store, ajv, 'exporters', 'otlp_http/x', { endpoint: 'https://x', tls: { insecure_skip_verifyy: true } }).join()).toMatch(/insecure_skip_verifyy/);
    expect(validateComponent(store, ajv, 'exporters', 'datadog', { enabled: true }).join()).toMatch(/enabled/);
  });

  it('rejects wrong types and bad durations, accepts env references and null defaults', () => {
    expect(validateComponent(store, ajv, 'processors', 'memory_limiter', { check_interval: 'soon' }).join()).toMatch(/format/);
    expect(validateComponent(store, ajv, 'exporters', 'elasticsearch/x', { endpoints: 'https://x' }).join()).toMatch(/array/);
    expect(validateComponent(store, ajv, 'exporters', 'datadog', { api: { key: '${env:DD_API_KEY}' }, retry_on_failure: { max_elapsed_time: '0s' } })).toEqual([]);
    expect(validateComponent(store, ajv, 'extensions', 'health_check', null)).toEqual([]);
    expect(validateComponent(store, ajv, 'extensions', 'nope', {})[0]).toMatch(/no offline schema/);
  });

  it('finds attribute reads and writes in OTTL', () => {
    expect(ottlAccess('set(log.attributes["a"], log.attributes["b"]) where log.attributes["c"] != nil')).toEqual({ writes: ['a'], reads: ['b', 'c'] });
    expect(ottlAccess('append(log.attributes["a"], value = log.attributes["a"])')).toEqual({ writes: ['a'], reads: ['a'] });
    expect(ottlAccess('set(scope.attributes["x"], resource.attributes["y"])')).toEqual({ writes: [], reads: [] });
    expect(ottlAccess('attributes["atlassian.source"] == "sandbox"')).toEqual({ writes: [], reads: ['atlassian.source'] });
  });

  it('flags broken wiring', () => {
    const broken = {
      receivers: { otlp: {} }, exporters: { debug: {} }, connectors: { routing: { default_pipelines: ['logs/b'] } },
      extensions: { file_storage: {} },
      service: { extensions: ['health_check'], pipelines: { 'logs/a': { receivers: ['otlp'], exporters: ['routing', 'nope'] } } },
    };
    const errors = wiringErrors(broken).join('\n');
    expect(errors).toMatch(/exporter nope is not defined/);
    expect(errors).toMatch(/connector routing is not a receiver/);
    expect(errors).toMatch(/service.extensions: health_check is not defined/);
    expect(errors).toMatch(/extensions.file_storage is defined but not in service.extensions/);
    expect(errors).toMatch(/exporters.debug is defined but used by no pipeline/);
    expect(errors).toMatch(/routing routes to logs\/b/);
  });
});
