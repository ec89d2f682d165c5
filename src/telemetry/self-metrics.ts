import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import type { ExporterConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import type { SourceOutcome } from '../pipeline/runner.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';
import { LoggingExporter, MAX_EXPORT_MS, otlpExporter } from './otlp-metric-exporter.js';
import { metricsUrlFor, type TelemetryConfig } from './config.js';
import { registerProcessMetrics } from './process-metrics.js';
import { PrometheusEndpoint } from './prometheus-text.js';
import type { Recorder } from './recorder.js';
import type { SourceStatusBoard } from './source-status.js';
import type { CredentialExpiry } from './credential-expiry.js';
import type { ReceiverResource } from '../otlp/resource.js';
import { registerCredentialExpiryGauge } from './credential-expiry-metric.js';

/**
 * Metric names (OTLP). Prometheus shows them with `_` for `.`, the unit as a suffix
 * (`_seconds`, `_bytes`) and `_total` on counters: see prometheus-text.ts and the README's
 * metrics table, which also lists the earlier names.
 */
export const METRIC = {
  recordsEmitted: 'atlassian.receiver.records.emitted',
  recordsRejected: 'atlassian.receiver.records.rejected',
  apiRequests: 'atlassian.receiver.api.requests',
  apiRequestDuration: 'atlassian.receiver.api.request.duration',
  apiRateLimited: 'atlassian.receiver.api.rate_limited',
  apiRetries: 'atlassian.receiver.api.retries',
  exportDuration: 'atlassian.receiver.export.duration',
  exportFailures: 'atlassian.receiver.export.failures',
  polls: 'atlassian.receiver.polls',
  checkpointLag: 'atlassian.receiver.checkpoint.lag',
  lastSuccess: 'atlassian.receiver.poll.last_success_timestamp',
} as const;

/** Seconds; request timeouts default to 10 s (collector) and 30 s (APIs), so the top buckets reach past them. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface SelfMetricsOptions {
  readonly metrics: TelemetryConfig['metrics'];
  readonly exporter: ExporterConfig;
  readonly resource: ReceiverResource;
  readonly board: SourceStatusBoard;
  readonly logger: Logger;
  /** Configured credential expiries, exposed as a gauge. */
  readonly credentials?: readonly CredentialExpiry[];
}

/**
 * The receiver's own metrics over the OpenTelemetry SDK: pushed as OTLP to the same
 * collector as the logs and/or collected on demand for Prometheus' /metrics. The pipeline
 * and HTTP layers see only the Recorder interface.
 */
export class SelfMetrics implements Recorder {
  private readonly provider: MeterProvider;
  private readonly prometheus: PrometheusEndpoint | undefined;
  private readonly counters;
  private readonly latency;
  private readonly stopProcessMetrics: () => void;
  private readonly otlp: LoggingExporter | undefined;
  /** Where OTLP metrics go, or undefined when they are off. */
  readonly otlpUrl: string | undefined;
  private stopped = false;

  constructor(opts: SelfMetricsOptions) {
    const readers: IMetricReader[] = [];
    this.otlpUrl = opts.metrics.otlp ? metricsUrlFor(opts.exporter.logsUrl) : undefined;
    if (this.otlpUrl) {
      // Its retries keep the process alive until they end: keep them short (they resume next interval anyway).
      const timeoutMs = Math.min(opts.exporter.timeoutMs, opts.metrics.interval, MAX_EXPORT_MS);
      this.otlp = new LoggingExporter(otlpExporter(opts.exporter, this.otlpUrl, timeoutMs), opts.logger.child({ component: 'self-metrics' }), this.otlpUrl);
      readers.push(new PeriodicExportingMetricReader({ exporter: this.otlp, exportIntervalMillis: opts.metrics.interval, exportTimeoutMillis: timeoutMs }));
    }
    if (opts.metrics.prometheus) {
      this.prometheus = new PrometheusEndpoint();
      readers.push(this.prometheus.reader);
    }
    this.provider = new MeterProvider({ resource: resourceFromAttributes(opts.resource.attributes), readers });
    const meter = this.provider.getMeter(RECEIVER_NAME, RECEIVER_VERSION);
    this.counters = {
      recordsEmitted: meter.createCounter(METRIC.recordsEmitted, { unit: '{record}', description: 'Audit records delivered to the collector (acknowledged with 2xx) and committed' }),
      recordsRejected: meter.createCounter(METRIC.recordsRejected, { unit: '{record}', description: 'Records the collector refused in a partial_success (lost downstream)' }),
      apiRequests: meter.createCounter(METRIC.apiRequests, { unit: '{request}', description: 'Atlassian API requests by HTTP status (error.type when there was no answer)' }),
      apiRateLimited: meter.createCounter(METRIC.apiRateLimited, { unit: '{response}', description: 'Atlassian API answers 429 Too Many Requests' }),
      apiRetries: meter.createCounter(METRIC.apiRetries, { unit: '{retry}', description: 'Atlassian API requests retried after a transient failure' }),
      exportFailures: meter.createCounter(METRIC.exportFailures, { unit: '{request}', description: 'Log exports the collector did not accept (outcome retryable or failed)' }),
      polls: meter.createCounter(METRIC.polls, { unit: '{poll}', description: 'Poll cycles by outcome (ok or failed)' }),
    };
    const histogram = (name: string, description: string) => meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: LATENCY_BUCKETS } });
    this.latency = {
      api: histogram(METRIC.apiRequestDuration, 'Atlassian API request time, body included, by HTTP status (error.type when there was no answer)'),
      export: histogram(METRIC.exportDuration, 'Log export request time to the collector, by outcome (accepted, retryable, failed)'),
    };
    this.stopProcessMetrics = registerProcessMetrics(meter);
    const lag = meter.createObservableGauge(METRIC.checkpointLag, { unit: 's', description: 'Now minus the newest point the source is known complete up to (newest delivered event, or start of the last caught-up poll)' });
    const lastSuccess = meter.createObservableGauge(METRIC.lastSuccess, { unit: 's', description: 'Unix time (seconds) at which the last successful poll cycle ended' });
    registerCredentialExpiryGauge(meter, opts.credentials ?? []);
    lag.addCallback((result) => {
      for (const { name } of opts.board.statuses()) {
        const ms = opts.board.checkpointLagMs(name);
        if (ms !== undefined) result.observe(ms / 1_000, { source: name });
      }
    });
    lastSuccess.addCallback((result) => {
      for (const s of opts.board.statuses()) if (s.lastPollOkAtMs !== undefined) result.observe(s.lastPollOkAtMs / 1_000, { source: s.name });
    });
  }

  apiResponse(source: string, status: number | undefined, errorType?: string, durationMs?: number): void {
    const attrs: Attributes = status === undefined ? { source, 'error.type': errorType ?? 'unknown' } : { source, 'http.response.status_code': status };
    this.counters.apiRequests.add(1, attrs);
    if (durationMs !== undefined) this.latency.api.record(durationMs / 1_000, attrs);
    if (status === 429) this.counters.apiRateLimited.add(1, { source });
  }

  apiRetry(source: string, reason: string): void {
    this.counters.apiRetries.add(1, { source, 'error.type': reason });
  }

  exportFailed(source: string, outcome: 'retryable' | 'failed'): void {
    this.counters.exportFailures.add(1, { source, outcome });
  }

  exportFinished(source: string, outcome: 'accepted' | 'retryable' | 'failed', durationMs: number): void {
    this.latency.export.record(durationMs / 1_000, { source, outcome });
  }

  recordsRejected(source: string, count: number): void {
    this.counters.recordsRejected.add(count, { source });
  }

  /** onCommit: a page was acknowledged and committed. */
  recordsEmitted(source: string, count: number): void {
    if (count > 0) this.counters.recordsEmitted.add(count, { source });
  }

  /** onCycle. */
  pollFinished(outcome: SourceOutcome): void {
    this.counters.polls.add(1, { source: outcome.source, outcome: outcome.ok ? 'ok' : 'failed' });
  }

  /** Serves Prometheus text (the exporter's own handler), or undefined when /metrics is off. */
  get prometheusHandler(): ((req: IncomingMessage, res: ServerResponse) => void) | undefined {
    const p = this.prometheus;
    return p?.handle;
  }

  /** Exports once more (OTLP) and stops; bounded by `timeoutMs`. Idempotent. */
  async shutdown(timeoutMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopProcessMetrics();
    // One last export carries the final counts, unless the collector was failing already.
    this.otlp?.closing();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([this.provider.shutdown().catch(() => undefined), deadline]);
    clearTimeout(timer);
  }
}
