import { join } from 'node:path';
import { FileCheckpointStore } from '../../src/checkpoint/file-store.js';
import type { ExporterConfig } from '../../src/config/config.js';
import { RateLimiterRegistry } from '../../src/http/rate-limiter.js';
import type { LogFields, Logger } from '../../src/log/logger.js';
import { receiverResource } from '../../src/otlp/resource.js';
import { OtlpHttpSink } from '../../src/otlp/otlp-http-sink.js';
import { runPollCycle, type CycleSummary } from '../../src/pipeline/poll-cycle.js';
import { SeenUids } from '../../src/pipeline/seen-uids.js';
import type { OrgEventsConfig } from '../../src/sources/org-events/config.js';
import { OrgEventsSource } from '../../src/sources/org-events/source.js';
import { tempDir } from './temp-dir.js';

export const FAST_BACKOFF = { initialMs: 20, maxMs: 100, multiplier: 2 };

/** Captures log lines so tests can assert on them (and grep them for secrets). */
export class MemoryLogger implements Logger {
  constructor(readonly lines: { level: string; msg: string; fields: LogFields }[] = [], private readonly base: LogFields = {}) {}
  private push(level: string, msg: string, fields?: LogFields) {
    this.lines.push({ level, msg, fields: { ...this.base, ...fields } });
  }
  debug(msg: string, f?: LogFields) { this.push('debug', msg, f); }
  info(msg: string, f?: LogFields) { this.push('info', msg, f); }
  warn(msg: string, f?: LogFields) { this.push('warn', msg, f); }
  error(msg: string, f?: LogFields) { this.push('error', msg, f); }
  child(fields: LogFields): Logger { return new MemoryLogger(this.lines, { ...this.base, ...fields }); }
  text(): string { return this.lines.map((l) => JSON.stringify(l)).join('\n'); }
}

export interface OrgHarness {
  readonly store: FileCheckpointStore;
  readonly logger: MemoryLogger;
  readonly seen: SeenUids;
  cycle(opts?: { stop?: AbortSignal; abort?: AbortSignal; maxRetryTimeMs?: number }): Promise<CycleSummary>;
}

/** The real org source, pipeline, checkpoint store and OTLP sink, wired in-process against loopback servers. */
export function orgHarness(o: { apiUrl: string; collectorUrl: string; orgId: string; apiKey: string; pageSize?: number; source?: Partial<OrgEventsConfig>; exporter?: Partial<ExporterConfig> }): OrgHarness {
  const store = new FileCheckpointStore(join(tempDir('aar-h-'), 'state'));
  const logger = new MemoryLogger();
  const seen = new SeenUids();
  const config: OrgEventsConfig = {
    name: 'acme-org', type: 'org-events', orgId: o.orgId, apiKey: o.apiKey, baseUrl: o.apiUrl,
    pollInterval: 60_000, initialLookback: 3650 * 86_400_000, pageSize: o.pageSize ?? 3,
    requestsPerMinute: 0, retryDeadline: 5_000, requestTimeout: 2_000, ...o.source,
  };
  const source = new OrgEventsSource(config, { limiters: new RateLimiterRegistry(), logger, checkpointFile: store.locate('acme-org'), backoff: FAST_BACKOFF });
  const sink = new OtlpHttpSink(
    { logsUrl: `${o.collectorUrl}/v1/logs`, protocol: 'http/protobuf', compression: 'gzip', headers: {}, timeoutMs: 2_000, maxRetryTimeMs: 10_000, ...o.exporter },
    receiverResource({ name: 'atlassian-audit-receiver', resourceAttributes: {} }),
  );
  return {
    store, logger, seen,
    cycle: (c = {}) => runPollCycle(source, {
      store, sink, seen, logger,
      maxRetryTimeMs: c.maxRetryTimeMs ?? 10_000,
      stop: c.stop ?? new AbortController().signal,
      abort: c.abort ?? new AbortController().signal,
      deliveryBackoff: FAST_BACKOFF,
    }),
  };
}
