/**
 * Confluence Cloud audit log: `GET /wiki/rest/api/audit?startDate&endDate&start&limit`
 * (epoch ms, both bounds inclusive, newest first). It is walked exactly like Jira's audit
 * records (closed windows, ascending pages, bounded memory, overlap for late records: see
 * jira-audit/source.ts). The difference is identity: records carry no id, so the key is a
 * content fingerprint plus the copy number within its millisecond (collect.ts).
 */
import type { WindowedSourceDeps } from '../windowed/deps.js';
import { CHECK_RETRY_DEADLINE_MS } from '../../pipeline/source.js';
import { WindowedAuditSource } from '../windowed/windowed-source.js';
import { parseCopyKey } from '../record-fingerprint.js';
import { CONFLUENCE_AUDIT_PATH, CONFLUENCE_AUDIT_SCOPES, ConfluenceAuditClient } from './client.js';
import { collectConfluenceWindow } from './collect.js';
import type { ConfluenceAuditConfig } from './config.js';
import { mapConfluenceRecord } from './map.js';

export class ConfluenceAuditSource extends WindowedAuditSource<ConfluenceAuditClient> {
  constructor(config: ConfluenceAuditConfig, deps: WindowedSourceDeps) {
    super(config, deps, {
      type: 'confluence-audit',
      product: 'confluence',
      scopes: CONFLUENCE_AUDIT_SCOPES,
      path: CONFLUENCE_AUDIT_PATH,
      createClient: (auth) => new ConfluenceAuditClient(config, auth, deps),
      api: (client, ctx) => ({
        collect: (from, to, cap, poll) => collectConfluenceWindow(client, from, to, cap, poll),
        toRecord: (item, observedMs) => mapConfluenceRecord(item.raw, { ...ctx, observedMs, ...parseCopyKey(item.key) }),
      }),
      retention: (client, signal) => client.retention(signal),
      probe: async (client, fromMs, toMs, signal) => (await client.fetchPage({ fromMs, toMs, start: 0, limit: 1, retryDeadlineMs: CHECK_RETRY_DEADLINE_MS }, signal)).results.length,
    });
  }
}
