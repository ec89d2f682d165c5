/**
 * Jira Cloud audit records: `GET /rest/api/3/auditing/record?from&to&offset&limit`.
 *
 * The API lists newest first, `from`/`to` are inclusive, paging is by offset and `total` is
 * not reliable. The walk (../windowed/window-walker.ts, shared with Confluence) goes like this:
 *
 * 1. Closed windows. Each poll reads [from, now − settleDelay]. Records written after the
 *    window's end cannot enter it, so new activity during paging never shifts offsets.
 * 2. Offset paging until a short page, deduplicating by record id (a record indexed late
 *    inside the window shifts offsets by one and is re-read, never skipped).
 * 3. Ascending delivery with bounded memory. A window is collected whole, sorted oldest
 *    first and delivered in pages of `pageSize`. A window holding more than 10 × pageSize
 *    records is not kept: it is halved (again and again) and the halves are walked oldest
 *    first; after a half, the next tries twice the span. A single millisecond is never split.
 * 4. Commit per page. The checkpoint after each page says `from` = the creation time of the
 *    last delivered record (inclusive) plus `to` = the window's end, and the ids delivered at
 *    that millisecond; a restart re-reads [from, to] and drops those ids. Nothing is skipped
 *    and nothing delivered twice, wherever the process stops.
 * 5. Late records. When a window is done the next starts `overlap` before its end, and the
 *    ids already delivered in that overlap stay in the checkpoint and are dropped. A record
 *    that shows up in the API up to (settleDelay + overlap) after its `created` time is still
 *    delivered, exactly once.
 */
import { createAuthProvider } from '../../auth/auth-provider.js';
import type { WindowedSourceDeps } from '../windowed/deps.js';
import { ReceiverError } from '../../errors/receiver-error.js';
import { systemClock, type Clock } from '../../http/rate-limiter.js';
import type { CheckResult, CheckpointState, PollContext, Source, SourcePage } from '../../pipeline/source.js';
import { JIRA_AUDIT_PATH, JIRA_AUDIT_SCOPES, JiraAuditClient } from './client.js';
import { collectJiraWindow } from './collect.js';
import type { JiraAuditConfig } from './config.js';
import { mapJiraRecord } from './map.js';
import { siteHost } from '../windowed/record-helpers.js';
import { decodeWindowCheckpoint } from '../windowed/window-checkpoint.js';
import { walkWindows, type WindowedApi } from '../windowed/window-walker.js';

export class JiraAuditSource implements Source {
  readonly type = 'jira-audit';
  readonly name: string;
  readonly pollIntervalMs: number;
  private readonly client: JiraAuditClient;
  private readonly api: WindowedApi;
  private readonly clock: Clock;

  constructor(
    private readonly config: JiraAuditConfig,
    private readonly deps: WindowedSourceDeps,
  ) {
    this.name = config.name;
    this.pollIntervalMs = config.pollInterval;
    this.clock = deps.clock ?? systemClock;
    const http = { timeoutMs: config.requestTimeout, retryDeadlineMs: config.retryDeadline };
    const auth = createAuthProvider(config.auth, deps.credentials.get(config.auth, http), {
      product: 'jira',
      site: config.site,
      scopes: JIRA_AUDIT_SCOPES,
      logger: deps.logger,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...http,
    });
    this.client = new JiraAuditClient(config, auth, deps);
    const ctx = { site: config.site, siteHost: siteHost(config.site), sourceName: config.name };
    this.api = {
      collect: (from, to, cap, poll) => collectJiraWindow(this.client, from, to, cap, poll),
      toRecord: (item, observedMs) => mapJiraRecord(item.raw, { ...ctx, observedMs }),
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
      const page = await this.client.fetchPage({ fromMs: now - 3_600_000, toMs: now, offset: 0, limit: 1 }, signal);
      return { ok: true, detail: `authenticated; GET ${JIRA_AUDIT_PATH} answered 200 (${page.records.length} record in the last hour sampled)` };
    } catch (err) {
      return { ok: false, detail: err instanceof ReceiverError ? err.describe() : String(err) };
    }
  }
}
