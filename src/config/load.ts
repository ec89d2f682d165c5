import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { ReceiverError } from '../errors/receiver-error.js';
import type { ExporterConfig, ReceiverConfig } from './config.js';
import { urlProblem } from './fields.js';
import { interpolate } from './interpolate.js';
import { issueMessage } from './issue-message.js';
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
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The parser's message quotes the offending token, which may be a pasted secret: give only its kind and position.
    throw new ConfigError(file, doc.errors.map((e) => {
      const before = text.slice(0, e.pos[0]).split('\n');
      return { path: '', message: `YAML syntax error (${e.code}) at line ${before.length}, column ${before.at(-1)!.length + 1}` };
    }));
  }
  const issues: ConfigIssue[] = [];
  const fileRefs = new Map<string, string>();
  const interpolated = interpolate(doc.toJS() ?? {}, env, issues, '', fileRefs);
  const otelEnv = readOtelEnv(env, issues);
  const parsed = fileConfigSchema.safeParse(interpolated);
  // A key whose ${...} could not be resolved already has its issue; zod's "is empty" would only repeat it.
  const unresolved = new Set(issues.map((i) => i.path));
  if (!parsed.success) issues.push(...parsed.error.issues.map(toIssue).filter((i) => !unresolved.has(i.path)));
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

function toIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  return { path, message: issueMessage(issue) };
}

function duplicateNames(config: FileConfig): ConfigIssue[] {
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  config.sources.forEach((s, i) => {
    const first = seen.get(s.name);
    if (first !== undefined) issues.push({ path: `sources[${i}].name`, message: `"${s.name}" is already used by sources[${first}]; names must be unique` });
    else seen.set(s.name, i);
  });
  return issues;
}

function resolveExporter(config: FileConfig, env: OtelEnv, issues: ConfigIssue[]): ExporterConfig | undefined {
  const e = config.exporter;
  let logsUrl: string;
  let from: string;
  if (e.endpoint) [logsUrl, from] = [`${e.endpoint}/v1/logs`, 'exporter.endpoint'];
  else if (env.logsEndpoint) [logsUrl, from] = [env.logsEndpoint, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'];
  else if (env.baseEndpoint) [logsUrl, from] = [`${env.baseEndpoint.replace(/\/+$/, '')}/v1/logs`, 'OTEL_EXPORTER_OTLP_ENDPOINT'];
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
