/**
 * Confluence Cloud audit log: `GET /wiki/rest/api/audit?startDate&endDate&start&limit`
 * (epoch ms, both bounds inclusive, newest first). It is walked exactly like Jira's audit
 * records (closed windows, ascending pages, bounded memory, overlap for late records: see
 * jira-audit/source.ts). The difference is identity: records carry no id, so the key is a
 * content fingerprint plus the copy number within its millisecond (collect.ts).
 */
import { createAuthProvider } from '../../auth/auth-provider.js';
import { ReceiverError } from '../../errors/receiver-error.js';
import { systemClock, type Clock } from '../../http/rate-limiter.js';
import type { CheckResult, CheckpointState, PollContext, Source, SourcePage } from '../../pipeline/source.js';
import { siteHost } from '../windowed/record-helpers.js';
import type { WindowedSourceDeps } from '../windowed/deps.js';
import { decodeWindowCheckpoint } from '../windowed/window-checkpoint.js';
import { walkWindows, type WindowedApi, type WindowItem } from '../windowed/window-walker.js';
import { CONFLUENCE_AUDIT_PATH, CONFLUENCE_AUDIT_SCOPES, ConfluenceAuditClient } from './client.js';
import { collectConfluenceWindow } from './collect.js';
import type { ConfluenceAuditConfig } from './config.js';
import { mapConfluenceRecord } from './map.js';

export class ConfluenceAuditSource implements Source {
  readonly type = 'confluence-audit';
  readonly name: string;
  readonly pollIntervalMs: number;
  private readonly client: ConfluenceAuditClient;
  private readonly api: WindowedApi;
  private readonly clock: Clock;

  constructor(
    private readonly config: ConfluenceAuditConfig,
    private readonly deps: WindowedSourceDeps,
  ) {
    this.name = config.name;
    this.pollIntervalMs = config.pollInterval;
    this.clock = deps.clock ?? systemClock;
    const http = { timeoutMs: config.requestTimeout, retryDeadlineMs: config.retryDeadline };
    const auth = createAuthProvider(config.auth, deps.credentials.get(config.auth, http), {
      product: 'confluence',
      site: config.site,
      scopes: CONFLUENCE_AUDIT_SCOPES,
      logger: deps.logger,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...http,
    });
    this.client = new ConfluenceAuditClient(config, auth, deps);
    const ctx = { site: config.site, siteHost: siteHost(config.site), sourceName: config.name };
    this.api = {
      collect: (from, to, cap, poll) => collectConfluenceWindow(this.client, from, to, cap, poll),
      toRecord: (item, observedMs) => mapConfluenceRecord(item.raw, { ...ctx, observedMs, ...copyOf(item) }),
    };
  }

  async *pages(checkpoint: CheckpointState | undefined, ctx: PollContext): AsyncIterable<SourcePage> {
    const stored = decodeWindowCheckpoint(checkpoint, this.type, this.name, this.deps.checkpointFile);
    yield* walkWindows(stored, this.api, {
      api: this.type,
      pageSize: this.config.pageSize,
      settleMs: this.config.settleDelay,
      overlapMs: this.config.overlap,
      initialLookbackMs: this.config.initialLookback,
      clock: this.clock,
    }, ctx);
  }

  async check(signal: AbortSignal): Promise<CheckResult> {
    const now = this.clock.now();
    try {
      const page = await this.client.fetchPage({ fromMs: now - 3_600_000, toMs: now, start: 0, limit: 1 }, signal);
      return { ok: true, detail: `authenticated; GET ${CONFLUENCE_AUDIT_PATH} answered 200 (${page.results.length} record in the last hour sampled)` };
    } catch (err) {
      return { ok: false, detail: err instanceof ReceiverError ? err.describe() : String(err) };
    }
  }
}

/** The item key is `<fingerprint>#<copy>` (collect.ts). */
function copyOf(item: WindowItem): { fingerprint: string; occurrence: number } {
  const hash = item.key.lastIndexOf('#');
  return { fingerprint: item.key.slice(0, hash), occurrence: Number(item.key.slice(hash + 1)) };
}
