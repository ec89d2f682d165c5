import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * OTel unit → Prometheus name suffix, as the OpenTelemetry "Prometheus and OpenMetrics
 * compatibility" specification and the Collector's prometheus exporter do it. Annotations
 * such as `{record}` add nothing. The JS Prometheus exporter only adds `_total`; without this
 * a gauge in seconds would be scraped as `…_lag` here but as `…_lag_seconds` through a
 * Collector, and dashboards would need two names for one metric.
 */
const UNIT_SUFFIX: Readonly<Record<string, string>> = {
  s: 'seconds',
  ms: 'milliseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  '%': 'percent',
};

/** The Prometheus name for an OTel metric: dots → `_`, the unit suffix, `_total` for counters. */
export function prometheusName(name: string, unit: string, kind: 'counter' | 'gauge' | 'histogram'): string {
  let base = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_+/g, '_');
  const suffix = unit === '1' && kind === 'gauge' ? 'ratio' : UNIT_SUFFIX[unit];
  if (suffix && !base.endsWith(`_${suffix}`)) base = `${base}_${suffix}`;
  return kind === 'counter' && !base.endsWith('_total') ? `${base}_total` : base;
}

/** The same metrics with their unit suffix in the name; the serializer then adds `_total`. */
function withUnitSuffixes(rm: ResourceMetrics): ResourceMetrics {
  return {
    resource: rm.resource,
    scopeMetrics: rm.scopeMetrics.map((sm) => ({ ...sm, metrics: sm.metrics.map(renamed) })),
  };
}

function renamed(metric: MetricData): MetricData {
  const kind = metric.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : 'gauge';
  const name = prometheusName(metric.descriptor.name, metric.descriptor.unit, kind);
  return { ...metric, descriptor: { ...metric.descriptor, name } } as MetricData;
}

/**
 * A pull reader for /metrics. The exporter's own handler is not used: it serves names
 * without unit suffixes and an unversioned content type.
 */
export class PrometheusEndpoint {
  readonly reader = new PrometheusExporter({ preventServerStart: true });
  private readonly serializer = new PrometheusSerializer();

  readonly handle = (_req: IncomingMessage, res: ServerResponse): void => {
    this.reader.collect().then(
      ({ resourceMetrics }) => {
        const text = this.serializer.serialize(withUnitSuffixes(resourceMetrics));
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`# collecting metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  };
}
