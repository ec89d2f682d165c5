import { FileCheckpointStore } from '../checkpoint/file-store.js';
import { isPlainHttpOffLoopback } from '../config/fields.js';
import { describeProxy } from '../config/proxy.js';
import { configureNetwork } from '../http/network.js';
import type { ReceiverConfig } from '../config/config.js';
import type { SourceConfig } from '../config/schema.js';
import { RateLimiterRegistry, type Clock } from '../http/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import type { ApiRecorder } from '../telemetry/recorder.js';
import { receiverResource, type ReceiverResource } from '../otlp/resource.js';
import { OtlpHttpSink } from '../otlp/otlp-http-sink.js';
import { SplittingSink } from '../otlp/splitting-sink.js';
import type { CycleDeps } from '../pipeline/poll-cycle.js';
import { SeenUids } from '../pipeline/seen-uids.js';
import { BoundedSink } from '../pipeline/bounded-sink.js';
import { DEFAULT_PIPELINE, type PipelineConfig } from '../pipeline/config.js';
import { Permits } from '../pipeline/permits.js';
import type { LogSink } from '../pipeline/sink.js';
import type { Source } from '../pipeline/source.js';
import type { OrgEventsSource } from '../sources/org-events/source.js';
import { CredentialRegistry } from '../auth/credential-registry.js';
import type { ConfluenceAuditSource } from '../sources/confluence-audit/source.js';
import type { JiraAuditSource } from '../sources/jira-audit/source.js';
import { rereadableSecret, type RereadableSecret } from '../config/secret-files.js';
import type { DcAuditSource } from '../sources/datacenter/source.js';
import type { DcAuditFileSource } from '../sources/datacenter/files/source.js';
import type { CredentialSecrets } from '../auth/credential-registry.js';

export interface Receiver {
  readonly sources: readonly Source[];
  readonly sink: LogSink;
  readonly store: FileCheckpointStore;
  /** The OTel resource the logs carry; self-metrics carry the same one. */
  readonly resource: ReceiverResource;
}

export interface SourceClasses {
  readonly OrgEventsSource?: typeof OrgEventsSource;
  readonly JiraAuditSource?: typeof JiraAuditSource;
  readonly ConfluenceAuditSource?: typeof ConfluenceAuditSource;
  readonly DcAuditSource?: typeof DcAuditSource;
  readonly DcAuditFileSource?: typeof DcAuditFileSource;
}

/** Each source type's modules load only when the config names that type: start-up time and memory. */
const SOURCE_MODULES: Record<SourceConfig['type'], () => Promise<SourceClasses>> = {
  'org-events': () => import('../sources/org-events/source.js'),
  'jira-audit': () => import('../sources/jira-audit/source.js'),
  'confluence-audit': () => import('../sources/confluence-audit/source.js'),
  'datacenter-audit': () => import('../sources/datacenter/source.js'),
  'datacenter-audit-file': () => import('../sources/datacenter/files/source.js'),
};

export async function loadSourceClasses(configs: readonly SourceConfig[]): Promise<SourceClasses> {
  const modules = await Promise.all([...new Set(configs.map((c) => c.type))].map((type) => SOURCE_MODULES[type]()));
  return Object.assign({}, ...modules) as SourceClasses;
}

function loaded<T>(cls: T | undefined, type: string): T {
  if (cls === undefined) throw new Error(`source type ${type} was not loaded`);
  return cls;
}

type ReceiverOptions = { sink?: LogSink; clock?: Clock; recorder?: ApiRecorder; resource?: ReceiverResource };

/** The only place that knows every source type and the concrete sink and store. */
export async function buildReceiver(config: ReceiverConfig, logger: Logger, opts: ReceiverOptions = {}): Promise<Receiver> {
  return assembleReceiver(await loadSourceClasses(config.sources), config, logger, opts);
}

/** buildReceiver() with the source classes already at hand (tests that build synchronously). */
export function assembleReceiver(classes: SourceClasses, config: ReceiverConfig, logger: Logger, opts: ReceiverOptions = {}): Receiver {
  setUpNetwork(config, logger);
  const store = new FileCheckpointStore(config.stateDirectory);
  const limiters = new RateLimiterRegistry(opts.clock);
  // One per receiver: sources sharing a secret share its tokens (and a rotating refresh token).
  const credentials = new CredentialRegistry({ stateDirectory: config.stateDirectory, logger, ...(opts.clock ? { clock: opts.clock } : {}) });
  const secret = (value: string, path: string) => rereadableSecret(value, config.secretFiles?.get(path));
  const sources = config.sources.map((s, i) =>
    buildSource(s, classes, {
      limiters, logger, store, clock: opts.clock, credentials, recorder: opts.recorder,
      secret: s.type === 'org-events' ? secret(s.apiKey, `sources[${i}].apiKey`) : undefined,
      authSecrets: s.type === 'org-events' || !('auth' in s) ? {} : authSecrets(s.auth, (value, key) => secret(value, `sources[${i}].auth.${key}`)),
    }),
  );
  const resource = opts.resource ?? receiverResource(config.service);
  // A 413 is answered by splitting the batch (otlp/splitting-sink.ts) before the source stops.
  const sink = opts.sink ?? new SplittingSink(new OtlpHttpSink(config.exporter, resource));
  return { sources, sink, store, resource };
}

function buildSource(
  config: SourceConfig,
  classes: SourceClasses,
  deps: { limiters: RateLimiterRegistry; logger: Logger; store: FileCheckpointStore; clock: Clock | undefined; credentials: CredentialRegistry; recorder?: ApiRecorder | undefined; secret: RereadableSecret | undefined; authSecrets: CredentialSecrets },
): Source {
  switch (config.type) {
    case 'org-events':
      return new (loaded(classes.OrgEventsSource, config.type))(config, {
        limiters: deps.limiters,
        logger: deps.logger,
        checkpointFile: deps.store.locate(config.name),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.recorder ? { recorder: deps.recorder } : {}),
        ...(deps.secret ? { apiKey: deps.secret } : {}),
      });
    case 'jira-audit':
    case 'confluence-audit': {
      const windowed = {
        limiters: deps.limiters,
        logger: deps.logger,
        checkpointFile: deps.store.locate(config.name),
        credentials: deps.credentials,
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.recorder ? { recorder: deps.recorder } : {}),
        secrets: deps.authSecrets,
      };
      return config.type === 'jira-audit' ? new (loaded(classes.JiraAuditSource, config.type))(config, windowed) : new (loaded(classes.ConfluenceAuditSource, config.type))(config, windowed);
    }
    case 'datacenter-audit':
      return new (loaded(classes.DcAuditSource, config.type))(config, {
        limiters: deps.limiters,
        logger: deps.logger,
        checkpointFile: deps.store.locate(config.name),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.recorder ? { recorder: deps.recorder } : {}),
      });
    case 'datacenter-audit-file':
      return new (loaded(classes.DcAuditFileSource, config.type))(config, { logger: deps.logger, checkpointFile: deps.store.locate(config.name), ...(deps.clock ? { clock: deps.clock } : {}) });
  }
}

/**
 * Proxy and TLS for every request that follows, and the start-up lines about them: a plaintext
 * collector off loopback (allowed, as the OTel SDKs allow it, but audit records then cross the
 * network readable), the proxy in use, settings that have no effect.
 */
function setUpNetwork(config: ReceiverConfig, logger: Logger): void {
  configureNetwork({ proxy: config.proxy, ...(config.tlsByOrigin ? { tlsByOrigin: config.tlsByOrigin } : {}) });
  for (const w of config.warnings ?? []) logger.warn(w.message, { event: w.event });
  if (isPlainHttpOffLoopback(config.exporter.logsUrl)) {
    logger.warn('the collector endpoint is plain http:// to a host that is not loopback: audit records and exporter headers cross the network unencrypted; use https:// unless the network path is trusted (e.g. an in-cluster gateway)', {
      event: 'exporter.plaintext',
      endpoint: new URL(config.exporter.logsUrl).origin,
    });
  }
  const proxy = config.proxy;
  if (proxy) {
    logger.info('outgoing requests go through a proxy (loopback targets and NO_PROXY hosts excepted)', {
      event: 'network.proxy',
      from: proxy.from === 'config' ? 'config proxy:' : 'HTTPS_PROXY/HTTP_PROXY/NO_PROXY',
      ...(proxy.httpsProxy ? { httpsProxy: describeProxy(proxy.httpsProxy) } : {}),
      ...(proxy.httpProxy ? { httpProxy: describeProxy(proxy.httpProxy) } : {}),
      ...(proxy.noProxy ? { noProxy: proxy.noProxy } : {}),
    });
  }
}

/**
 * The poll-cycle dependencies every command shares; `run` adds its telemetry hooks. One set
 * of export permits and one page budget for all sources: the collector sees at most
 * `maxConcurrentExports` requests at once and memory holds a fixed number of pages.
 */
export function cycleDeps(receiver: Receiver, logger: Logger, shutdown: { stop: AbortSignal; abort: AbortSignal }, maxRetryTimeMs: number, pipeline: PipelineConfig = DEFAULT_PIPELINE): CycleDeps {
  const sink = new BoundedSink(receiver.sink, new Permits(pipeline.maxConcurrentExports));
  const pageBudget = new Permits(pipeline.maxConcurrentExports * (1 + pipeline.readAhead));
  return { store: receiver.store, sink, seen: new SeenUids(), logger, maxRetryTimeMs, stop: shutdown.stop, abort: shutdown.abort, readAhead: pipeline.readAhead, pageBudget };
}

/** The `auth` secrets a rotated file can replace without a restart (see Rotating credentials in the README). */
function authSecrets(auth: { readonly type: string; readonly apiToken?: string; readonly clientSecret?: string }, secret: (value: string, key: string) => RereadableSecret | undefined): CredentialSecrets {
  if (auth.apiToken !== undefined) return { apiToken: secret(auth.apiToken, 'apiToken') };
  if (auth.type === 'client-credentials' && auth.clientSecret !== undefined) return { clientSecret: secret(auth.clientSecret, 'clientSecret') };
  return {};
}
