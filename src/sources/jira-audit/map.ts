/**
 * Jira Cloud audit record -> AuditLogRecord. Pure and total, like the org mapping: a record
 * the schema rejects is still delivered (raw body plus `atlassian.receiver.schema_error`).
 */
import { Severity } from '../../pipeline/audit-log-record.js';
import type { AttributeValue, Attributes, AuditLogRecord } from '../../pipeline/audit-log-record.js';
import { categorizeAuditSummary } from '../windowed/summary-categorize.js';
import { contentHash, describeIssues, nonEmptyArray, own, put, putText, truncate, type Maybe } from '../windowed/record-helpers.js';
import { jiraAuditRecordSchema, type JiraAuditRecord } from './schema.js';

export const JIRA_AUDIT_EVENT_NAME = 'atlassian.jira.audit_record';

export interface JiraMapContext {
  /** Site root URL, e.g. https://acme.atlassian.net. */
  readonly site: string;
  /** Uid namespace: the site's host. */
  readonly siteHost: string;
  readonly sourceName: string;
  readonly observedMs: number;
}

/** The record's id as a string, when it has a usable one: the dedup key and the uid's tail. */
export function jiraRecordId(raw: unknown): string | undefined {
  const id = own(raw, 'id');
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return String(id);
  if (typeof id === 'string' && id !== '') return id;
  return undefined;
}

/** `created` in epoch ms; Jira writes `2022-01-24T08:48:05.645+0000`, which Date.parse reads. */
export function jiraCreatedMs(raw: unknown): number | undefined {
  const created = own(raw, 'created');
  const ms = typeof created === 'string' ? Date.parse(created) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Categorises and returns whether the action failed (drives severity). */
function putCategory(attrs: Attributes, summary: unknown, category: unknown): boolean {
  const c = categorizeAuditSummary(summary, category);
  if (c.outcome === 'unknown') return false;
  attrs['atlassian.event.category'] = c.category;
  attrs['atlassian.event.type'] = c.type;
  attrs['atlassian.event.outcome'] = c.outcome;
  return c.outcome === 'failure';
}

function putRecord(attrs: Attributes, r: JiraAuditRecord): boolean {
  attrs['atlassian.event.id'] = String(r.id);
  putText(attrs, 'atlassian.audit.summary', r.summary);
  putText(attrs, 'atlassian.audit.category', r.category);
  putText(attrs, 'atlassian.audit.event_source', r.eventSource);
  putText(attrs, 'atlassian.audit.description', r.description);
  // Records without an author are Jira's own (system) actions, e.g. directory sync.
  const accountId = typeof r.authorAccountId === 'string' && r.authorAccountId !== '' ? r.authorAccountId : undefined;
  attrs['atlassian.actor.type'] = accountId ? 'user' : 'system';
  put(attrs, 'user.id', accountId);
  putText(attrs, 'atlassian.audit.author_key', r.authorKey);
  putText(attrs, 'client.address', r.remoteAddress);
  put(attrs, 'atlassian.audit.object', r.objectItem as Maybe<AttributeValue>);
  put(attrs, 'atlassian.audit.changed_values', nonEmptyArray(r.changedValues));
  put(attrs, 'atlassian.audit.associated_items', nonEmptyArray(r.associatedItems));
  return putCategory(attrs, r.summary, r.category);
}

function finish(raw: unknown, ctx: JiraMapContext, attrs: Attributes, failed: boolean): AuditLogRecord {
  const id = jiraRecordId(raw);
  // No id: a content hash still lets the same record dedupe against itself on a re-read.
  const uid = `${ctx.siteHost}:${id ?? `sha256:${contentHash(raw)}`}`;
  attrs['log.record.uid'] = uid;
  return {
    uid,
    timeMs: jiraCreatedMs(raw) ?? ctx.observedMs,
    observedMs: ctx.observedMs,
    eventName: JIRA_AUDIT_EVENT_NAME,
    severity: failed ? Severity.WARN : Severity.INFO,
    body: raw === undefined ? null : (raw as AttributeValue),
    attributes: attrs,
  };
}

/** Reads what can be read safely so a rejected record still sorts, dedups and alerts. */
function salvage(raw: unknown, ctx: JiraMapContext, attrs: Attributes, error: string): AuditLogRecord {
  attrs['atlassian.receiver.schema_error'] = error;
  const id = jiraRecordId(raw);
  if (id !== undefined) attrs['atlassian.event.id'] = id;
  putText(attrs, 'atlassian.audit.summary', own(raw, 'summary'));
  putText(attrs, 'atlassian.audit.category', own(raw, 'category'));
  const failed = putCategory(attrs, own(raw, 'summary'), own(raw, 'category'));
  return finish(raw, ctx, attrs, failed);
}

export function mapJiraRecord(raw: unknown, ctx: JiraMapContext): AuditLogRecord {
  const base = (): Attributes => ({
    'atlassian.source': ctx.sourceName,
    'atlassian.product': 'jira',
    'atlassian.site': ctx.site,
  });
  try {
    const parsed = jiraAuditRecordSchema.safeParse(raw);
    if (!parsed.success) return salvage(raw, ctx, base(), describeIssues(parsed.error.issues));
    const attrs = base();
    const failed = putRecord(attrs, parsed.data);
    return finish(raw, ctx, attrs, failed);
  } catch (err) {
    // Only hostile non-JSON values (throwing getters, proxies) get here.
    const reason = err instanceof Error ? err.message : 'unknown error';
    return salvage(raw, ctx, base(), truncate(`mapping failed: ${reason}`));
  }
}
