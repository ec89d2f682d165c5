/**
 * Where logs are POSTed, and why: the "why" goes into every collector error, so a 404 can say
 * which setting produced the URL. A base URL (exporter.endpoint, OTEL_EXPORTER_OTLP_ENDPOINT,
 * demo --endpoint) gets /v1/logs joined to its path, as the OTel SDKs do (a query stays after
 * it); one that already ends in /v1/logs is taken as the full URL rather than doubled (a common
 * paste from collector docs); one ending in another signal's path (/v1/traces, /v1/metrics) is
 * refused with the fix.
 */
import { withSignalPath } from './endpoint-url.js';

export interface LogsEndpoint {
  readonly url: string;
  readonly from: string;
}

export function logsUrlFromBase(base: string, key: string): LogsEndpoint | { readonly problem: string } {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    // Not a URL: the caller's URL check reports it; keep a readable value meanwhile.
    return { url: `${base.replace(/\/+$/, '')}/v1/logs`, from: `${key} + /v1/logs` };
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/v1\/logs$/.test(path)) {
    url.pathname = path;
    return { url: url.toString(), from: `${key}, which already ends in /v1/logs, used as the full URL` };
  }
  const other = /\/v1\/(traces|metrics)$/.exec(path);
  if (other) {
    return {
      problem: `ends in /v1/${other[1]}, the ${other[1] === 'traces' ? 'trace' : 'metric'} path: give the collector's base URL (e.g. http://localhost:4318); the receiver adds /v1/logs`,
    };
  }
  return { url: withSignalPath(base, '/v1/logs'), from: `${key} + /v1/logs` };
}
