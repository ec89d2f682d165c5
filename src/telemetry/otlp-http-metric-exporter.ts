import { gzipSync } from 'node:zlib';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality, AggregationType, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExporterConfig } from '../config/config.js';
import { sendHttp } from '../http/http-client.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../version.js';

/**
 * Pushes the receiver's own metrics as OTLP/HTTP through the same HTTP client as the logs, so
 * they take the same proxy, CA bundle and client certificate (the SDK's exporters use
 * node:http and would bypass all three). The official serializers do the encoding; a failed
 * export is not retried: the next interval carries the cumulative values again.
 */
export class OtlpHttpMetricExporter implements PushMetricExporter {
  private readonly serializer;
  private readonly contentType: string;
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly config: Pick<ExporterConfig, 'protocol' | 'compression' | 'headers'>,
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {
    const json = config.protocol === 'http/json';
    this.serializer = json ? JsonMetricsSerializer : ProtobufMetricsSerializer;
    this.contentType = json ? 'application/json' : 'application/x-protobuf';
  }

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    if (this.stopped) return done({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    const sending = this.send(metrics).then(
      () => done({ code: ExportResultCode.SUCCESS }),
      (error: unknown) => done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }

  private async send(metrics: ResourceMetrics): Promise<void> {
    const payload = this.serializer.serializeRequest(metrics);
    if (!payload) throw new Error('the OTLP serializer produced no request');
    const gzip = this.config.compression === 'gzip';
    const res = await sendHttp({
      method: 'POST',
      url: this.url,
      headers: {
        ...this.config.headers,
        'content-type': this.contentType,
        'user-agent': `${RECEIVER_NAME}/${RECEIVER_VERSION}`,
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body: gzip ? gzipSync(payload) : payload,
      timeoutMs: this.timeoutMs,
      maxBodyBytes: 1024 * 1024,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`collector answered ${res.status}`);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
  }

  /** Cumulative, the OTLP exporters' default. */
  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(): { type: AggregationType.DEFAULT } {
    return { type: AggregationType.DEFAULT };
  }
}
