import { ExportResultCode } from '@opentelemetry/core';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ExporterConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { OtlpHttpMetricExporter } from './otlp-http-metric-exporter.js';

/** Upper bound for one metrics export (it is not retried: the next interval sends the cumulative values again). */
export const MAX_EXPORT_MS = 5_000;

/** Our own OTLP/HTTP push exporter, so metrics take the logs' proxy and TLS settings (see its file). */
export function otlpExporter(config: ExporterConfig, url: string, timeoutMs: number): PushMetricExporter {
  return new OtlpHttpMetricExporter(config, url, timeoutMs);
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
