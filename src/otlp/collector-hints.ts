import type { ExporterConfig } from '../config/config.js';

/**
 * What a refusal from the collector most likely means and which setting fixes it. The URL is
 * printed without its query string (it could carry a token); header values are never printed.
 */
export function collectorStatusHint(status: number, config: Pick<ExporterConfig, 'logsUrl' | 'logsUrlFrom' | 'headers'>): string | undefined {
  const url = new URL(config.logsUrl);
  const where = `${url.origin}${url.pathname}${config.logsUrlFrom ? ` (from ${config.logsUrlFrom})` : ''}`;
  const headerNames = Object.keys(config.headers);
  const sent = headerNames.length > 0 ? `the headers sent were ${headerNames.join(', ')} (values not shown)` : 'no headers were sent';
  switch (status) {
    case 404:
    case 405:
      return `nothing accepts OTLP logs at ${where}; the endpoint must be the collector's OTLP/HTTP receiver (usually port 4318, not gRPC 4317), as a base URL: /v1/logs is added unless it is already there`;
    case 401:
      return `the collector at ${where} wants credentials: set exporter.headers (e.g. authorization: "Bearer \${env:OTLP_TOKEN}") or OTEL_EXPORTER_OTLP_HEADERS; ${sent}`;
    case 403:
      return `the collector at ${where} refused the credentials: check exporter.headers (or OTEL_EXPORTER_OTLP_HEADERS); ${sent}`;
    case 415:
      return `the collector at ${where} does not take this encoding: try exporter.protocol http/json or http/protobuf`;
    default:
      return undefined;
  }
}
