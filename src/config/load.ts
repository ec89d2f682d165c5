import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type * as z from '../util/zod.js';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { ReceiverError } from '../errors/receiver-error.js';
import type { ConfigWarning, ExporterConfig, ReceiverConfig } from './config.js';
import { logsUrlFromBase } from './endpoint.js';
import { urlProblem } from './fields.js';
import { interpolate } from './interpolate.js';
import { issueMessage } from './issue-message.js';
import { KeyLocator } from './key-locator.js';
import { readOtelEnv, type OtelEnv } from './otel-env.js';
import { fileConfigSchema, type FileConfig } from './schema.js';
import { proxyFromEnvironment, type ProxySettings } from './proxy.js';
import { readTlsFiles, type TlsMaterial } from './tls-files.js';
import { sourceOrigins } from './source-origins.js';

const DEFAULT_ENDPOINT = 'http://localhost:4318';

/** Reads, interpolates and validates a config file; throws ConfigError listing every problem. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): ReceiverConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new ReceiverError('CONFIG_UNREADABLE', `cannot read config file ${file}: ${why}`, {});
  }
  return parseConfig(text, file, env);
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv): ReceiverConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    // The parser's message quotes the offending token, which may be a pasted secret: give only its kind and position.
    throw new ConfigError(file, doc.errors.map((e) => {
      const before = text.slice(0, e.pos[0]).split('\n');
      return { path: '', message: `YAML syntax error (${e.code}) at line ${before.length}, column ${before.at(-1)!.length + 1}` };
    }));
  }
  const issues: ConfigIssue[] = [];
  const fileRefs = new Map<string, string>();
  const interpolated = interpolate(documentValue(doc, file), env, issues, '', fileRefs);
  const otelEnv = readOtelEnv(env, issues);
  const parsed = fileConfigSchema.safeParse(interpolated);
  // A key whose ${...} could not be resolved already has its issue; zod's "is empty" would only repeat it.
  const unresolved = new Set(issues.map((i) => i.path));
  const keys = new KeyLocator(doc, lineCounter);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => toIssue(i, keys)).filter((i) => !unresolved.has(i.path)));
  if (parsed.success) issues.push(...duplicateNames(parsed.data));
  const baseDir = dirname(file);
  const warnings: ConfigWarning[] = [];
  const exporter = parsed.success ? resolveExporter(parsed.data, otelEnv, baseDir, issues, warnings) : undefined;
  const tlsByOrigin = parsed.success && exporter ? tlsOrigins(parsed.data, exporter, baseDir, issues) : undefined;
  const proxy = parsed.success ? resolveProxy(parsed.data, env, issues) : undefined;
  if (issues.length > 0 || !parsed.success || !exporter) throw new ConfigError(file, issues);
  return {
    file,
    stateDirectory: resolve(dirname(file), parsed.data.state.directory),
    exporter,
    service: {
      name: otelEnv.serviceName ?? otelEnv.resourceAttributes?.['service.name'] ?? 'atlassian-audit-receiver',
      resourceAttributes: otelEnv.resourceAttributes ?? {},
    },
    sources: parsed.data.sources,
    telemetry: parsed.data.telemetry,
    secretFiles: fileRefs,
    credentialExpiryWarningMs: parsed.data.credentialExpiryWarning,
    pipeline: parsed.data.pipeline,
    ...(parsed.data.shard ? { shard: parsed.data.shard } : {}),
    ...(proxy ? { proxy } : {}),
    ...(tlsByOrigin && tlsByOrigin.size > 0 ? { tlsByOrigin } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Keys and positions only: a key that may be a pasted secret is shown by its line and column. */
function toIssue(issue: z.core.$ZodIssue, keys: KeyLocator): ConfigIssue {
  return { path: keys.path(issue.path), message: issueMessage(issue, (key) => keys.name(issue.path, key)) };
}

/** At most this many alias expansions; the yaml library's own default, stated here on purpose. */
const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain data. Expanding aliases is where an alias bomb (a billion laughs)
 * explodes; the library stops it, and that must be a configuration error (exit 2) naming
 * the file, not a bare parser message.
 */
function documentValue(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    throw new ConfigError(file, [{ path: '', message: `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} alias uses, or a document that grows without bound): refusing to load it` }]);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    // Its content is not shown: a file given by mistake (a key, a token) must not be echoed.
    throw new ConfigError(file, [{ path: '', message: `the file is not a YAML mapping of settings (it holds a ${Array.isArray(value) ? 'list' : typeof value}); is --config pointing at the right file?` }]);
  }
  return value;
}

/**
 * TLS material by origin: each source's `tls:` for every origin it connects to, the exporter's
 * for the collector. TLS trust belongs to a host, so one origin with two different settings is refused.
 */
function tlsOrigins(config: FileConfig, exporter: ExporterConfig, baseDir: string, issues: ConfigIssue[]): Map<string, TlsMaterial> {
  const out = new Map<string, TlsMaterial>();
  const owner = new Map<string, string>();
  const claim = (origin: string, material: TlsMaterial, key: string) => {
    const first = owner.get(origin);
    if (first !== undefined && out.get(origin) !== material) {
      issues.push({ path: key, message: `${origin} already has TLS settings from ${first}; every source reaching one host must use the same tls settings` });
      return;
    }
    owner.set(origin, key);
    out.set(origin, material);
  };
  if (exporter.tls) claim(new URL(exporter.logsUrl).origin, exporter.tls, 'exporter.tls');
  config.sources.forEach((s, i) => {
    if (!('tls' in s) || !s.tls) return;
    const key = `sources[${i}].tls`;
    const material = readTlsFiles(s.tls, baseDir, { caFile: `${key}.caFile`, certFile: `${key}.certFile`, keyFile: `${key}.keyFile` }, issues);
    if (!material) return;
    // Two sources naming the same file share one material object, so they do not conflict.
    const same = [...out.values()].find((m) => m.ca === material.ca && m.cert === material.cert && m.key === material.key);
    for (const origin of sourceOrigins(s)) claim(origin, same ?? material, key);
  });
  return out;
}

function resolveProxy(config: FileConfig, env: NodeJS.ProcessEnv, issues: ConfigIssue[]): ProxySettings | undefined {
  const settings: ProxySettings = config.proxy ? { ...config.proxy, from: 'config' } : proxyFromEnvironment(env, issues);
  return settings.httpsProxy || settings.httpProxy ? settings : undefined;
}

function duplicateNames(config: FileConfig): ConfigIssue[] {
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  config.sources.forEach((s, i) => {
    // Compared without case: on a case-insensitive file system Acme and acme would share one checkpoint file.
    const key = s.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      const other = config.sources[first]!.name;
      issues.push({ path: `sources[${i}].name`, message: other === s.name ? `"${s.name}" is already used by sources[${first}]; names must be unique` : `"${s.name}" differs from sources[${first}] ("${other}") only by case; names must be unique ignoring case (they name checkpoint files)` });
    } else seen.set(key, i);
  });
  return issues;
}

function resolveExporter(config: FileConfig, env: OtelEnv, baseDir: string, issues: ConfigIssue[], warnings: ConfigWarning[]): ExporterConfig | undefined {
  const e = config.exporter;
  let endpoint: ReturnType<typeof logsUrlFromBase>;
  let key: string;
  if (e.endpoint) [endpoint, key] = [logsUrlFromBase(e.endpoint, 'exporter.endpoint'), 'exporter.endpoint'];
  else if (env.logsEndpoint) [endpoint, key] = [{ url: env.logsEndpoint, from: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, used as the full URL' }, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'];
  else if (env.baseEndpoint) [endpoint, key] = [logsUrlFromBase(env.baseEndpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT'), 'OTEL_EXPORTER_OTLP_ENDPOINT'];
  else [endpoint, key] = [{ url: `${DEFAULT_ENDPOINT}/v1/logs`, from: `the default ${DEFAULT_ENDPOINT} + /v1/logs` }, 'exporter.endpoint'];
  if ('problem' in endpoint) {
    issues.push({ path: key, message: endpoint.problem });
    return undefined;
  }
  const { url: logsUrl, from: logsUrlFrom } = endpoint;
  if (key !== 'exporter.endpoint') {
    const problem = urlProblem(logsUrl, 'anywhere');
    if (problem) issues.push({ path: key, message: problem });
  }
  const protocol = e.protocol ?? env.protocol ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    issues.push({ path: 'OTEL_EXPORTER_OTLP_PROTOCOL', message: `"${protocol}" is not supported; use http/protobuf or http/json (gRPC is not implemented)` });
    return undefined;
  }
  const compression = e.compression ?? env.compression ?? 'gzip';
  if (compression !== 'gzip' && compression !== 'none') {
    issues.push({ path: 'OTEL_EXPORTER_OTLP_COMPRESSION', message: 'must be gzip or none' });
    return undefined;
  }
  const tls = exporterTls(e.tls, env, baseDir, issues);
  if (env.insecure) {
    // OTel spec: INSECURE concerns only OTLP/gRPC endpoints given without a scheme. Over OTLP/HTTP the scheme decides.
    const value = env.insecure.value.trim().toLowerCase();
    if (value !== 'true' && value !== 'false') warnings.push({ event: 'config.otel_env', message: `${env.insecure.name}="${env.insecure.value.slice(0, 16)}" is not true or false; read as false` });
    else if (env.insecure.enabled && new URL(logsUrl).protocol === 'https:') {
      warnings.push({ event: 'config.otel_env', message: `${env.insecure.name}=true has no effect on OTLP/HTTP: the endpoint's scheme decides, and ${new URL(logsUrl).origin} is https (use an http:// endpoint for plaintext)` });
    }
  }
  return {
    ...(tls ? { tls } : {}),
    logsUrl,
    logsUrlFrom,
    protocol,
    compression,
    bodyFormat: e.bodyFormat ?? 'map',
    headers: { ...(env.headers ?? {}), ...(e.headers ?? {}) },
    timeoutMs: e.timeout ?? env.timeoutMs ?? 10_000,
    maxRetryTimeMs: e.maxRetryTime ?? 300_000,
  };
}

/** exporter.tls keys win one by one over OTEL_EXPORTER_OTLP_[LOGS_]CERTIFICATE / CLIENT_CERTIFICATE / CLIENT_KEY. */
function exporterTls(fileTls: FileConfig['exporter']['tls'], env: OtelEnv, baseDir: string, issues: ConfigIssue[]): TlsMaterial | undefined {
  const pick = (fromFile: string | undefined, fileKey: string, fromEnv: { name: string; value: string } | undefined) =>
    fromFile !== undefined ? { path: fromFile, key: `exporter.tls.${fileKey}` } : fromEnv ? { path: fromEnv.value, key: fromEnv.name } : undefined;
  const ca = pick(fileTls?.caFile, 'caFile', env.certificate);
  const cert = pick(fileTls?.certFile, 'certFile', env.clientCertificate);
  const key = pick(fileTls?.keyFile, 'keyFile', env.clientKey);
  return readTlsFiles(
    { caFile: ca?.path, certFile: cert?.path, keyFile: key?.path },
    baseDir,
    {
      caFile: ca?.key ?? 'exporter.tls.caFile',
      certFile: cert?.key ?? 'exporter.tls.certFile (or OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE)',
      keyFile: key?.key ?? 'exporter.tls.keyFile (or OTEL_EXPORTER_OTLP_CLIENT_KEY)',
    },
    issues,
  );
}
