import type { ConfigIssue } from '../errors/config-error.js';
import { resolve } from 'node:path';
import { parseDuration } from './duration.js';
import { DURATION_RANGES, rangeMessage } from './duration-ranges.js';

/**
 * Reads the standard OTEL_* variables (OTel SDK environment spec) into the shape of the
 * `exporter`/`service` config sections. The config file wins where it sets a key.
 */
export interface OtelEnv {
  readonly logsEndpoint?: string;
  readonly baseEndpoint?: string;
  readonly protocol?: string;
  readonly headers?: Record<string, string>;
  readonly compression?: string;
  readonly timeoutMs?: number;
  readonly serviceName?: string;
  readonly resourceAttributes?: Record<string, string>;
  /** TLS files, each with the variable it came from (for messages); paths made absolute against the working directory. */
  readonly certificate?: EnvValue;
  readonly clientCertificate?: EnvValue;
  readonly clientKey?: EnvValue;
  /** OTEL_EXPORTER_OTLP_[LOGS_]INSECURE parsed as the spec's boolean; it only concerns OTLP/gRPC. */
  readonly insecure?: EnvValue & { readonly enabled: boolean };
}

export interface EnvValue {
  readonly name: string;
  readonly value: string;
}

export function readOtelEnv(env: NodeJS.ProcessEnv, issues: ConfigIssue[], cwd: string = process.cwd()): OtelEnv {
  const pick = (...names: string[]) => {
    for (const name of names) {
      const v = env[name];
      if (v !== undefined && v !== '') return { name, value: v };
    }
    return undefined;
  };
  const headers = pick('OTEL_EXPORTER_OTLP_LOGS_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS');
  const timeout = pick('OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT');
  const attrs = pick('OTEL_RESOURCE_ATTRIBUTES');
  let timeoutMs: number | undefined;
  if (timeout) {
    // The spec says milliseconds as an integer; also accept our duration syntax.
    timeoutMs = /^\d+$/.test(timeout.value) ? Number(timeout.value) : parseDuration(timeout.value);
    const range = DURATION_RANGES.exporterTimeout;
    if (timeoutMs === undefined) issues.push({ path: timeout.name, message: 'must be milliseconds (e.g. 10000)' });
    else if (timeoutMs < range.min || timeoutMs > range.max) {
      issues.push({ path: timeout.name, message: `${rangeMessage(range)} (${range.min} to ${range.max} ms)` });
      timeoutMs = undefined;
    }
  }
  const file = (...names: string[]) => {
    const found = pick(...names);
    return found ? { name: found.name, value: resolve(cwd, found.value) } : undefined;
  };
  const insecure = pick('OTEL_EXPORTER_OTLP_LOGS_INSECURE', 'OTEL_EXPORTER_OTLP_INSECURE');
  return {
    certificate: file('OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE', 'OTEL_EXPORTER_OTLP_CERTIFICATE'),
    clientCertificate: file('OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE', 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'),
    clientKey: file('OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY', 'OTEL_EXPORTER_OTLP_CLIENT_KEY'),
    ...(insecure ? { insecure: { ...insecure, enabled: insecure.value.trim().toLowerCase() === 'true' } } : {}),
    logsEndpoint: pick('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT')?.value,
    baseEndpoint: pick('OTEL_EXPORTER_OTLP_ENDPOINT')?.value,
    protocol: pick('OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL')?.value,
    headers: headers ? parseKeyValueList(headers.value, headers.name, issues, true) : undefined,
    compression: pick('OTEL_EXPORTER_OTLP_LOGS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION')?.value,
    timeoutMs,
    serviceName: pick('OTEL_SERVICE_NAME')?.value,
    resourceAttributes: attrs ? parseKeyValueList(attrs.value, attrs.name, issues, false) : undefined,
  };
}

/** `k1=v1,k2=v2` with percent-encoded values (W3C Baggage style, as the OTel spec says). */
function parseKeyValueList(text: string, name: string, issues: ConfigIssue[], secretValues: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!key) {
      // Header values are credentials: name the variable, never echo the entry.
      issues.push({ path: name, message: secretValues ? 'every entry must be key=value' : `"${part.trim()}" is not key=value` });
      continue;
    }
    const raw = part.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}
