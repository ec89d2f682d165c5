/**
 * Data Center audit log over REST: `GET {baseUrl}/rest/auditing/1.0/events?from&to&limit&pageCursor`
 * (Jira 8.8+, Confluence 7.5+, Bitbucket 7.0+). Events come newest first and have no id.
 *
 * The walk is the shared one (../windowed/window-walker.ts; see jira-audit/source.ts): closed
 * windows [watermark − overlap, now − settleDelay], delivered oldest first in pages, the
 * checkpoint committed only after the collector accepted each page. Paging inside a window is
 * by keyset cursor, never by offset (offsets shift as events arrive); the server's
 * nextPageLink is followed only while it stays on baseUrl's origin. Identity is a content
 * fingerprint plus a copy number (identity.ts, collect.ts), which also dedupes the overlap.
 */
import { ReceiverError } from '../../errors/receiver-error.js';
import { systemClock, type Clock } from '../../http/rate-limiter.js';
import { CHECK_RETRY_DEADLINE_MS, type CheckResult, type CheckpointState, type PollContext, type Source, type SourcePage } from '../../pipeline/source.js';
import { parseCopyKey } from '../record-fingerprint.js';
import type { WindowedSourceDeps } from '../windowed/deps.js';
import { decodeWindowCheckpoint } from '../windowed/window-checkpoint.js';
import { walkRange, walkWindows, type WalkOptions, type WindowedApi } from '../windowed/window-walker.js';
import { walkOptionsFor } from '../windowed/walk-options.js';
import type { Replayable, ReplayWindow, RetentionLimit } from '../../pipeline/replay.js';
import { dcAuthProvider } from './auth.js';
import { DC_COVERAGE_PATH, DC_EVENTS_PATH, DcAuditClient } from './client.js';
import { collectDcWindow } from './collect.js';
import type { DcAuditConfig } from './config.js';
import { mapDataCenterEvent } from './map.js';

export type DcSourceDeps = Omit<WindowedSourceDeps, 'credentials'>;

/**
 * How far back a replay may go: the Data Center audit REST API has no official OpenAPI spec, and
 * nothing this project has seen states or serves the instance's retention setting, so nothing is refused.
 */
export const DC_RETENTION: RetentionLimit = {
  maxAgeMs: undefined,
  statement: 'the Data Center audit API states no retention here (it is an instance setting under Audit log > Settings); it returns what the instance still keeps',
};

export class DcAuditSource implements Source, Replayable {
  readonly type = 'datacenter-audit';
  readonly name: string;
  readonly pollIntervalMs: number;
  private readonly client: DcAuditClient;
  private readonly api: WindowedApi;
  private readonly clock: Clock;

  constructor(
    private readonly config: DcAuditConfig,
    private readonly deps: DcSourceDeps,
  ) {
    this.name = config.name;
    this.pollIntervalMs = config.pollInterval;
    this.clock = deps.clock ?? systemClock;
    this.client = new DcAuditClient(config, dcAuthProvider(config.auth, config.baseUrl, config.product), deps);
    const ctx = { product: config.product, sourceName: config.name, system: config.baseUrl };
    this.api = {
      collect: (from, to, cap, poll) => collectDcWindow(this.client, from, to, cap, poll),
      toRecord: (item, observedMs) => mapDataCenterEvent(item.raw, { ...ctx, observedMs, ...parseCopyKey(item.key) }),
    };
  }

  async *pages(checkpoint: CheckpointState | undefined, ctx: PollContext): AsyncIterable<SourcePage> {
    const stored = decodeWindowCheckpoint(checkpoint, this.type, this.name, this.deps.checkpointFile);
    yield* walkWindows(stored, this.api, this.walkOptions(), ctx);
  }

  /** `replay`: exactly the window again (the API selects on event time), live checkpoint untouched. */
  replay(window: ReplayWindow, ctx: PollContext): AsyncIterable<SourcePage> {
    return walkRange(window.fromMs, window.toMs, this.api, this.walkOptions(), ctx);
  }

  async retention(): Promise<RetentionLimit> {
    return DC_RETENTION;
  }

  private walkOptions(): WalkOptions {
    return walkOptionsFor(this.config, this.type, DC_EVENTS_PATH, this.clock);
  }

  /** Reads one event, then the coverage settings, so a user learns when the log is incomplete. */
  async check(signal: AbortSignal): Promise<CheckResult> {
    const now = this.clock.now();
    let detail: string;
    try {
      const page = await this.client.fetchPage({ fromMs: now - 3_600_000, toMs: now, limit: 1, retryDeadlineMs: CHECK_RETRY_DEADLINE_MS }, signal);
      detail = `authenticated; GET ${DC_EVENTS_PATH} answered 200 (${page.entities.length === 0 ? 'no events' : 'events'} in the last hour)`;
    } catch (err) {
      return { ok: false, detail: err instanceof ReceiverError ? err.describe() : String(err) };
    }
    try {
      const coverage = await this.client.fetchCoverage(signal, CHECK_RETRY_DEADLINE_MS);
      const off = Object.entries(coverage).filter(([, level]) => level.toUpperCase() === 'OFF').map(([area]) => area).sort();
      const levels = Object.entries(coverage).map(([area, level]) => `${area}=${level}`).sort().join(', ');
      if (off.length === 0) return { ok: true, detail: `${detail}; audit coverage: ${levels || 'no areas reported'}` };
      return { ok: true, detail: `${detail}; WARNING: audit coverage is OFF for ${off.join(', ')}, so events of those areas are never logged (raise them under Administration > Audit log > Settings); coverage: ${levels}` };
    } catch (err) {
      return { ok: true, detail: `${detail}; could not read ${DC_COVERAGE_PATH} (${err instanceof ReceiverError ? err.describe() : String(err)}): coverage unknown` };
    }
  }
}
