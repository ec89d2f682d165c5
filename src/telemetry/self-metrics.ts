import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ExporterConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import type { SourceOutcome } from '../pipeline/runner.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';
import { metricsUrlFor, type TelemetryConfig } from './config.js';
import type { Recorder } from './recorder.js';
import type { SourceStatusBoard } from './source-status.js';

/** Metric names; Prometheus shows them with `_` for `.` and counters with `_total`. */
export const METRIC = {
  recordsEmitted: 'atlassian.receiver.records.emitted',
  recordsRejected: 'atlassian.receiver.records.rejected',
  apiRequests: 'atlassian.receiver.api.requests',
  apiRateLimited: 'atlassian.receiver.api.rate_limited',
  apiRetries: 'atlassian.receiver.api.retries',
  exportFailures: 'atlassian.receiver.export.failures',
  polls: 'atlassian.receiver.polls',
  checkpointLag: 'atlassian.receiver.checkpoint.lag',
  lastSuccess: 'atlassian.receiver.poll.last_success',
} as const;

export interface SelfMetricsOptions {
  readonly metrics: TelemetryConfig['metrics'];
  readonly exporter: ExporterConfig;
  readonly resource: Resource;
  readonly board: SourceStatusBoard;
  readonly logger: Logger;
}

/**
 * The receiver's own metrics over the OpenTelemetry SDK: pushed as OTLP to the same
 * collector as the logs and/or collected on demand for Prometheus' /metrics. The pipeline
 * and HTTP layers see only the Recorder interface.
 */
export class SelfMetrics implements Recorder {
  private readonly provider: MeterProvider;
  private readonly prometheus: PrometheusExporter | undefined;
  private readonly counters;
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
      this.prometheus = new PrometheusExporter({ preventServerStart: true });
      readers.push(this.prometheus);
    }
    this.provider = new MeterProvider({ resource: opts.resource, readers });
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
    const lag = meter.createObservableGauge(METRIC.checkpointLag, { unit: 's', description: 'Now minus the newest point the source is known complete up to (newest delivered event, or start of the last caught-up poll)' });
    const lastSuccess = meter.createObservableGauge(METRIC.lastSuccess, { unit: 's', description: 'Unix time of the last successful poll cycle' });
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

  apiResponse(source: string, status: number | undefined, errorType?: string): void {
    const attrs: Attributes = status === undefined ? { source, 'error.type': errorType ?? 'unknown' } : { source, 'http.response.status_code': status };
    this.counters.apiRequests.add(1, attrs);
    if (status === 429) this.counters.apiRateLimited.add(1, { source });
  }

  apiRetry(source: string, reason: string): void {
    this.counters.apiRetries.add(1, { source, 'error.type': reason });
  }

  exportFailed(source: string, outcome: 'retryable' | 'failed'): void {
    this.counters.exportFailures.add(1, { source, outcome });
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
    return p ? (req, res) => p.getMetricsRequestHandler(req, res) : undefined;
  }

  /** Exports once more (OTLP) and stops; bounded by `timeoutMs`. Idempotent. */
  async shutdown(timeoutMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
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

/** Upper bound for one metrics export including the exporter's own retries. */
const MAX_EXPORT_MS = 5_000;

function otlpExporter(config: ExporterConfig, url: string, timeoutMs: number): PushMetricExporter {
  const options = {
    url,
    headers: { ...config.headers },
    compression: config.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    timeoutMillis: timeoutMs,
    userAgent: `${RECEIVER_NAME}/${RECEIVER_VERSION}`,
  };
  return config.protocol === 'http/json' ? new OtlpJsonMetricExporter(options) : new OtlpProtoMetricExporter(options);
}

/**
 * The SDK reports a failed metrics export only through its diag channel; say it in our log,
 * once per run of failures (the collector may not have a metrics pipeline), and when it recovers.
 */
class LoggingExporter implements PushMetricExporter {
  private failing = false;
  private shuttingDown = false;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly logger: Logger,
    private readonly url: string,
  ) {}

  /** From now on, skip exports while the collector is failing: shutdown must not wait on retries. */
  closing(): void {
    this.shuttingDown = true;
  }

  export(metrics: Parameters<PushMetricExporter['export']>[0], done: Parameters<PushMetricExporter['export']>[1]): void {
    if (this.shuttingDown && this.failing) return done({ code: ExportResultCode.FAILED });
    this.inner.export(metrics, (result) => {
      if (result.code !== ExportResultCode.SUCCESS && !this.failing) {
        this.failing = true;
        const path = new URL(this.url).pathname;
        this.logger.warn('self-metrics export failed; retrying every interval (logs are not affected)', {
          event: 'metrics.export_failed',
          path,
          error: result.error?.message ?? 'unknown',
        });
      } else if (result.code === ExportResultCode.SUCCESS && this.failing) {
        this.failing = false;
        this.logger.info('self-metrics export works again', { event: 'metrics.export_recovered' });
      }
      done(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  selectAggregationTemporality = (...args: Parameters<NonNullable<PushMetricExporter['selectAggregationTemporality']>>) =>
    this.inner.selectAggregationTemporality!(...args);

  selectAggregation = (...args: Parameters<NonNullable<PushMetricExporter['selectAggregation']>>) => this.inner.selectAggregation!(...args);
}
