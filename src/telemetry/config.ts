import * as z from '../util/zod.js';
import { DURATION_RANGES } from '../config/duration-ranges.js';
import { duration, isLoopbackHost } from '../config/fields.js';

/**
 * `telemetry:`: the receiver's own health endpoint and metrics. Every default is here.
 * The health server listens on loopback unless the endpoint names another address (as the
 * Collector's own endpoints do): Prometheus in a cluster scrapes the pod IP, so an address
 * such as 0.0.0.0:13134 is accepted, with a warning at start-up (it serves no secrets).
 * 13133 belongs to the collector's health_check extension, and a sidecar shares its pod's
 * network, so the default port is 13134.
 */
export const TELEMETRY_DEFAULTS = {
  healthEndpoint: '127.0.0.1:13134',
  metricsInterval: 60_000,
} as const;

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `host:port` or `[v6]:port`; port 0 picks a free port (the address is logged). */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

export function formatHostPort(a: HostPort): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

const hostPort = () =>
  z.string({ error: 'must be host:port, e.g. 127.0.0.1:13134' }).transform((text, ctx) => {
    const parsed = parseHostPort(text);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: 'must be host:port, e.g. 127.0.0.1:13134 or [::1]:13134 (port 0-65535)' });
      return z.NEVER;
    }
    return parsed;
  });

const healthSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  endpoint: hostPort().prefault(TELEMETRY_DEFAULTS.healthEndpoint),
  /** No longer needed (any address may be configured); still accepted so existing files keep loading. */
  allowNonLoopback: z.boolean({ error: 'must be true or false' }).optional(),
});

/** Whether `run` should warn that /healthz, /readyz and /metrics are reachable from other hosts. */
export function listensBeyondLoopback(endpoint: HostPort): boolean {
  return !isLoopbackHost(endpoint.host);
}

const metricsSchema = z.strictObject({
  /** Push to the exporter's collector, at the logs endpoint with /v1/metrics instead of /v1/logs. */
  otlp: z.boolean({ error: 'must be true or false' }).default(true),
  /** Serve Prometheus text on /metrics of the health endpoint. */
  prometheus: z.boolean({ error: 'must be true or false' }).default(false),
  interval: duration(DURATION_RANGES.metricsInterval).default(TELEMETRY_DEFAULTS.metricsInterval),
});

export const telemetryConfigSchema = z
  .strictObject({
    health: healthSchema.prefault({}),
    metrics: metricsSchema.prefault({}),
  })
  .superRefine((t, ctx) => {
    if (t.metrics.prometheus && !t.health.enabled) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'prometheus'], message: '/metrics is served by the health endpoint: also set telemetry.health.enabled: true' });
    }
  })
  .prefault({});

export type TelemetryConfig = z.output<typeof telemetryConfigSchema>;

/** The defaults, for commands whose config did not come from a file (demo, tests). */
export function defaultTelemetryConfig(): TelemetryConfig {
  return telemetryConfigSchema.parse(undefined);
}

/** Metrics go to the same collector as the logs: `…/v1/logs` becomes `…/v1/metrics`. */
export function metricsUrlFor(logsUrl: string): string {
  const url = new URL(logsUrl);
  url.pathname = /\/v1\/logs\/?$/.test(url.pathname) ? url.pathname.replace(/\/v1\/logs\/?$/, '/v1/metrics') : '/v1/metrics';
  return url.toString();
}
