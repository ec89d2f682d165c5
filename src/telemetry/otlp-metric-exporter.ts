import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ExporterConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';

/** Upper bound for one metrics export including the exporter's own retries. */
export const MAX_EXPORT_MS = 5_000;

export function otlpExporter(config: ExporterConfig, url: string, timeoutMs: number): PushMetricExporter {
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
export class LoggingExporter implements PushMetricExporter {
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
