import { FileCheckpointStore } from '../checkpoint/file-store.js';
import type { ReceiverConfig } from '../config/config.js';
import type { SourceConfig } from '../config/schema.js';
import { RateLimiterRegistry, type Clock } from '../http/rate-limiter.js';
import type { Logger } from '../log/logger.js';
import { receiverResource } from '../otlp/resource.js';
import { OtlpHttpSink } from '../otlp/otlp-http-sink.js';
import type { LogSink } from '../pipeline/sink.js';
import type { Source } from '../pipeline/source.js';
import { OrgEventsSource } from '../sources/org-events/source.js';

export interface Receiver {
  readonly sources: readonly Source[];
  readonly sink: LogSink;
  readonly store: FileCheckpointStore;
}

/** The only place that knows every source type and the concrete sink and store. */
export function buildReceiver(config: ReceiverConfig, logger: Logger, opts: { sink?: LogSink; clock?: Clock } = {}): Receiver {
  const store = new FileCheckpointStore(config.stateDirectory);
  const limiters = new RateLimiterRegistry(opts.clock);
  const sources = config.sources.map((s) => buildSource(s, { limiters, logger, store, clock: opts.clock }));
  const sink = opts.sink ?? new OtlpHttpSink(config.exporter, receiverResource(config.service));
  return { sources, sink, store };
}

function buildSource(config: SourceConfig, deps: { limiters: RateLimiterRegistry; logger: Logger; store: FileCheckpointStore; clock: Clock | undefined }): Source {
  switch (config.type) {
    case 'org-events':
      return new OrgEventsSource(config, {
        limiters: deps.limiters,
        logger: deps.logger,
        checkpointFile: deps.store.locate(config.name),
        ...(deps.clock ? { clock: deps.clock } : {}),
      });
  }
}
