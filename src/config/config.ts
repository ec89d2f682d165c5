import type { SourceConfig } from './schema.js';
import type { TelemetryConfig } from '../telemetry/config.js';
import type { SecretFileRefs } from './secret-files.js';
import type { PipelineConfig } from '../pipeline/config.js';
import type { Shard } from './shard.js';

/** The resolved configuration: file settings, then OTEL_* variables, then defaults. */
export interface ReceiverConfig {
  readonly file: string;
  readonly stateDirectory: string;
  readonly exporter: ExporterConfig;
  readonly service: ServiceConfig;
  readonly sources: readonly SourceConfig[];
  /** Health endpoint and self-metrics for `run`; absent where no file was read (demo): the defaults apply. */
  readonly telemetry?: TelemetryConfig;
  /** Values that came from `${file:…}`, by config path: re-read after a 401 (rotation without restart). */
  readonly secretFiles?: SecretFileRefs;
  /** Warn this long before a configured credential expiry (`credentialExpiryWarning`, default 30d). */
  readonly credentialExpiryWarningMs?: number;
  /** Export concurrency and read-ahead; absent where no file was read (demo): the defaults apply. */
  readonly pipeline?: PipelineConfig;
  /** From the file's `shard:`; the CLI's `--shard` replaces it and filters `sources` (cli/context.ts). */
  readonly shard?: Shard;
}

export interface ExporterConfig {
  /** Full URL that logs are POSTed to (…/v1/logs). */
  readonly logsUrl: string;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly compression: 'gzip' | 'none';
  /** May hold credentials: never log them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetryTimeMs: number;
}

export interface ServiceConfig {
  readonly name: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
}
