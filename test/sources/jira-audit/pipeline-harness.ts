// Drives the real pipeline (runOnce, FileCheckpointStore, OtlpHttpSink) against the fake
// OTLP collector, for the Jira and Confluence source tests. Every poll gets a fresh
// SeenUids: the in-process dedup must not hide a duplicate the checkpoint logic let through.
import { mkdtemp, rm } from 'node:fs/promises';
import { afterEach, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.js';
import { parseConfig } from '../../../src/config/load.js';
import type { ReceiverConfig } from '../../../src/config/config.js';
import { sleep } from '../../../src/http/backoff.js';
import type { Clock } from '../../../src/http/rate-limiter.js';
import { silentLogger } from '../../../src/log/pino-logger.js';
import { receiverResource } from '../../../src/otlp/resource.js';
import { OtlpHttpSink } from '../../../src/otlp/otlp-http-sink.js';
import { runOnce, type SourceOutcome } from '../../../src/pipeline/runner.js';
import { SeenUids } from '../../../src/pipeline/seen-uids.js';
import type { Source } from '../../../src/pipeline/source.js';
import { assembleReceiver } from '../../../src/cli/wiring.js';
import { JiraAuditSource } from '../../../src/sources/jira-audit/source.js';
import { ConfluenceAuditSource } from '../../../src/sources/confluence-audit/source.js';
import { OrgEventsSource } from '../../../src/sources/org-events/source.js';
import { DcAuditSource } from '../../../src/sources/datacenter/source.js';
import { DcAuditFileSource } from '../../../src/sources/datacenter/files/source.js';
import { startCollector, type ReceivedLogRecord, type TestCollector } from '../../helpers/otlp-collector.js';

/**
 * A harness started before each test and closed after it, together with the fake API servers
 * the test registered through `track` (the lifecycle every source test file shares).
 */
export function harnessPerTest<S extends { close(): Promise<void> }>(): { readonly h: Harness; track(server: S): S; close(server: S): Promise<void> } {
  let harness: Harness | undefined;
  let servers: S[] = [];
  beforeEach(async () => {
    harness = await startHarness();
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await harness?.close();
  });
  return {
    get h(): Harness {
      if (!harness) throw new Error('the harness exists only inside a test');
      return harness;
    },
    track: (server) => {
      servers.push(server);
      return server;
    },
    /** Closes a server before the test ends (it is then not closed again). */
    close: async (server) => {
      servers = servers.filter((s) => s !== server);
      await server.close();
    },
  };
}

/** A settable "now" with real sleeps (retries and limiters still wait for real). */
export class TestClock implements Clock {
  constructor(public nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleep(ms, signal);
  }
}

export interface Harness {
  readonly collector: TestCollector;
  readonly stateDirectory: string;
  readonly store: FileCheckpointStore;
  readonly sink: OtlpHttpSink;
  poll(sources: readonly Source[]): Promise<SourceOutcome[]>;
  /** Builds sources from YAML the way the CLI does (config schema, wiring, credential registry). */
  build(yaml: string, clock: Clock, env?: NodeJS.ProcessEnv): { config: ReceiverConfig; sources: readonly Source[] };
  uids(): string[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const collector = await startCollector();
  const stateDirectory = await mkdtemp(join(tmpdir(), 'aar-windowed-'));
  const store = new FileCheckpointStore(stateDirectory);
  const exporter = { logsUrl: `${collector.url}/v1/logs`, protocol: 'http/protobuf' as const, compression: 'gzip' as const, headers: {}, timeoutMs: 5_000, maxRetryTimeMs: 0 };
  const sink = new OtlpHttpSink(exporter, receiverResource({ name: 'test', resourceAttributes: {} }));
  return {
    collector,
    stateDirectory,
    store,
    sink,
    poll: (sources) =>
      runOnce(sources, {
        store,
        sink,
        seen: new SeenUids(),
        logger: silentLogger,
        maxRetryTimeMs: 0,
        stop: new AbortController().signal,
        abort: new AbortController().signal,
      }),
    build(yaml, clock, env = {}) {
      const header = `state: { directory: ${JSON.stringify(stateDirectory)} }\nexporter: { endpoint: ${JSON.stringify(collector.url)} }\n`;
      const config = parseConfig(header + yaml, '/test/receiver.yaml', env);
      return { config, sources: assembleReceiver({ OrgEventsSource, JiraAuditSource, ConfluenceAuditSource, DcAuditSource, DcAuditFileSource }, config, silentLogger, { sink, clock }).sources };
    },
    uids: () => collector.records.map((r) => String(r.attributes['log.record.uid'])),
    close: async () => {
      await collector.close();
      await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}

/** Asserts-friendly view: how often each uid arrived. */
export function countByUid(records: readonly ReceivedLogRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    const uid = String(r.attributes['log.record.uid']);
    counts.set(uid, (counts.get(uid) ?? 0) + 1);
  }
  return counts;
}

export function timesMs(records: readonly ReceivedLogRecord[]): number[] {
  return records.map((r) => Number(r.timeUnixNano / 1_000_000n));
}
