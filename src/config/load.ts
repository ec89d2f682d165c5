import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { ReceiverError } from '../errors/receiver-error.js';
import type { ExporterConfig, ReceiverConfig } from './config.js';
import { withSignalPath } from './endpoint-url.js';
import { urlProblem } from './fields.js';
import { interpolate } from './interpolate.js';
import { issueMessage } from './issue-message.js';
import { KeyLocator } from './key-locator.js';
import { readOtelEnv, type OtelEnv } from './otel-env.js';
import { fileConfigSchema, type FileConfig } from './schema.js';

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
  const exporter = parsed.success ? resolveExporter(parsed.data, otelEnv, issues) : undefined;
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

function resolveExporter(config: FileConfig, env: OtelEnv, issues: ConfigIssue[]): ExporterConfig | undefined {
  const e = config.exporter;
  let logsUrl: string;
  let from: string;
  if (e.endpoint) [logsUrl, from] = [withSignalPath(e.endpoint, '/v1/logs'), 'exporter.endpoint'];
  else if (env.logsEndpoint) [logsUrl, from] = [env.logsEndpoint, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'];
  else if (env.baseEndpoint && !urlProblem(env.baseEndpoint)) [logsUrl, from] = [withSignalPath(env.baseEndpoint, '/v1/logs'), 'OTEL_EXPORTER_OTLP_ENDPOINT'];
  else if (env.baseEndpoint) [logsUrl, from] = [env.baseEndpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT'];
  else [logsUrl, from] = [`${DEFAULT_ENDPOINT}/v1/logs`, 'exporter.endpoint'];
  if (from !== 'exporter.endpoint') {
    const problem = urlProblem(logsUrl);
    if (problem) issues.push({ path: from, message: problem });
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
  return {
    logsUrl,
    protocol,
    compression,
    headers: { ...(env.headers ?? {}), ...(e.headers ?? {}) },
    timeoutMs: e.timeout ?? env.timeoutMs ?? 10_000,
    maxRetryTimeMs: e.maxRetryTime ?? 300_000,
  };
}
