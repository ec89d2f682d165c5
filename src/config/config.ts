import type { SourceConfig } from './schema.js';
import type { TelemetryConfig } from '../telemetry/config.js';
import type { SecretFileRefs } from './secret-files.js';
import type { PipelineConfig } from '../pipeline/config.js';
import type { Shard } from './shard.js';
import type { ProxySettings } from './proxy.js';
import type { TlsMaterial } from './tls-files.js';

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
  /** The egress proxy: the file's `proxy:` section, else HTTPS_PROXY/HTTP_PROXY/NO_PROXY; absent: no proxy. */
  readonly proxy?: ProxySettings;
  /** TLS material (sources' `tls:`, the exporter's) by the URL origin it applies to; read at load. */
  readonly tlsByOrigin?: ReadonlyMap<string, TlsMaterial>;
  /** Settings that are valid but worth a line at start-up (e.g. a variable that has no effect here). */
  readonly warnings?: readonly ConfigWarning[];
}

export interface ConfigWarning {
  readonly event: string;
  readonly message: string;
}

export interface ExporterConfig {
  /** Full URL that logs are POSTed to (…/v1/logs). */
  readonly logsUrl: string;
  /** Which setting produced `logsUrl` and how, for error messages (e.g. "exporter.endpoint + /v1/logs"). */
  readonly logsUrlFrom?: string;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly compression: 'gzip' | 'none';
  /** How the body is sent (otlp/body-format.ts); absent: `map`. */
  readonly bodyFormat?: 'map' | 'json';
  /** May hold credentials: never log them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetryTimeMs: number;
  /** CA bundle and/or client certificate for the collector (exporter.tls or OTEL_EXPORTER_OTLP_*CERTIFICATE/KEY). */
  readonly tls?: TlsMaterial;
}

export interface ServiceConfig {
  readonly name: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
}
