/**
 * Jira Cloud audit records: `GET /rest/api/3/auditing/record?from&to&offset&limit`.
 *
 * The API lists newest first, `from`/`to` are inclusive, paging is by offset and `total` is
 * only a hint (it can be absent or wrong). The walk (../windowed/window-walker.ts, shared with
 * Confluence) goes like this:
 *
 * 1. Closed windows. Each poll reads [from, now − settleDelay]. Records written after the
 *    window's end cannot enter it, so new activity during paging never shifts offsets.
 * 2. Offset paging until a short page, deduplicating by record id (a record indexed late
 *    inside the window shifts offsets by one and is re-read, never skipped).
 * 3. Ascending delivery with bounded memory. A window is collected whole, sorted oldest
 *    first and delivered in pages of `pageSize`. A window holding more than 10 × pageSize
 *    records is not kept. When the first page's `total` says so (pages of 100 or more), the
 *    window is walked from its end instead, proving each step (tail-walk.ts): about one
 *    request per page of records, whatever their time distribution. Otherwise it is halved
 *    (again and again) and the halves are walked oldest first; after a half, the next tries
 *    twice the span. A single millisecond is never split.
 * 4. Commit per page. The checkpoint after each page says `from` = the creation time of the
 *    last delivered record (inclusive) plus `to` = the window's end, and the ids delivered at
 *    that millisecond; a restart re-reads [from, to] and drops those ids. Nothing is skipped
 *    and nothing delivered twice, wherever the process stops.
 * 5. Late records. When a window is done the next starts `overlap` before its end, and the
 *    ids already delivered in that overlap stay in the checkpoint and are dropped. A record
 *    that shows up in the API up to (settleDelay + overlap) after its `created` time is still
 *    delivered, exactly once.
 */
import type { WindowedSourceDeps } from '../windowed/deps.js';
import { CHECK_RETRY_DEADLINE_MS } from '../../pipeline/source.js';
import { WindowedAuditSource } from '../windowed/windowed-source.js';
import { JIRA_AUDIT_PATH, JIRA_AUDIT_SCOPES, JiraAuditClient } from './client.js';
import { collectJiraWindow } from './collect.js';
import type { JiraAuditConfig } from './config.js';
import { mapJiraRecord } from './map.js';
import { walkJiraOldestFirst } from './tail-walk.js';

export class JiraAuditSource extends WindowedAuditSource<JiraAuditClient> {
  constructor(config: JiraAuditConfig, deps: WindowedSourceDeps) {
    super(config, deps, {
      type: 'jira-audit',
      product: 'jira',
      scopes: JIRA_AUDIT_SCOPES,
      path: JIRA_AUDIT_PATH,
      createClient: (auth) => new JiraAuditClient(config, auth, deps),
      api: (client, ctx) => ({
        collect: (from, to, cap, poll) => collectJiraWindow(client, from, to, cap, poll),
        walkOldest: (from, to, cap, poll) => walkJiraOldestFirst(client, from, to, cap, poll),
        toRecord: (item, observedMs) => mapJiraRecord(item.raw, { ...ctx, observedMs }),
      }),
      probe: async (client, fromMs, toMs, signal) => (await client.fetchPage({ fromMs, toMs, offset: 0, limit: 1, retryDeadlineMs: CHECK_RETRY_DEADLINE_MS }, signal)).records.length,
    });
  }
}
