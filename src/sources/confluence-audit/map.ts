/**
 * Confluence Cloud audit record -> AuditLogRecord. Pure and total: a record the schema
 * rejects is still delivered (raw body plus `atlassian.receiver.schema_error`).
 */
import { Severity } from '../../pipeline/audit-log-record.js';
import type { AttributeValue, Attributes, AuditLogRecord } from '../../pipeline/audit-log-record.js';
import { categorizeAuditSummary } from '../windowed/summary-categorize.js';
import { describeIssues, nonEmptyArray, own, put, putText, truncate, type Maybe } from '../windowed/record-helpers.js';
import { confluenceCreatedMs, confluenceFingerprint } from './fingerprint.js';
import { confluenceAuditRecordSchema, type ConfluenceAuditRecord } from './schema.js';

export const CONFLUENCE_AUDIT_EVENT_NAME = 'atlassian.confluence.audit_record';

export interface ConfluenceMapContext {
  readonly site: string;
  readonly siteHost: string;
  readonly sourceName: string;
  readonly observedMs: number;
  /** Which copy of identical records this is, counted within its millisecond (0 for the first). */
  readonly occurrence?: number;
  /** Precomputed by the source; computed here when absent. */
  readonly fingerprint?: string;
}

function putCategory(attrs: Attributes, summary: unknown, category: unknown): boolean {
  const c = categorizeAuditSummary(summary, category);
  if (c.outcome === 'unknown') return false;
  attrs['atlassian.event.category'] = c.category;
  attrs['atlassian.event.type'] = c.type;
  attrs['atlassian.event.outcome'] = c.outcome;
  return c.outcome === 'failure';
}

/** An affected object of `{name: "", objectType: ""}` means "none" in this API. */
function meaningfulObject(value: Maybe<{ name?: Maybe<string>; objectType?: Maybe<string> }>): AttributeValue | undefined {
  if (!value || (!value.name && !value.objectType)) return undefined;
  return value as AttributeValue;
}

function putRecord(attrs: Attributes, r: ConfluenceAuditRecord): boolean {
  putText(attrs, 'atlassian.audit.summary', r.summary);
  putText(attrs, 'atlassian.audit.category', r.category);
  putText(attrs, 'atlassian.audit.description', r.description);
  const author = r.author;
  const accountId = typeof author?.accountId === 'string' && author.accountId !== '' ? author.accountId : undefined;
  // Confluence's own actions are authored by "System", without an account id.
  if (author) attrs['atlassian.actor.type'] = accountId ? 'user' : 'system';
  put(attrs, 'user.id', accountId);
  if (accountId) putText(attrs, 'user.full_name', author?.displayName);
  putText(attrs, 'client.address', r.remoteAddress);
  put(attrs, 'atlassian.confluence.sys_admin', r.sysAdmin);
  put(attrs, 'atlassian.confluence.super_admin', r.superAdmin);
  put(attrs, 'atlassian.audit.object', meaningfulObject(r.affectedObject));
  put(attrs, 'atlassian.audit.associated_items', nonEmptyArray(r.associatedObjects));
  put(attrs, 'atlassian.audit.changed_values', nonEmptyArray(r.changedValues));
  return putCategory(attrs, r.summary, r.category);
}

function finish(raw: unknown, ctx: ConfluenceMapContext, attrs: Attributes, failed: boolean): AuditLogRecord {
  const fingerprint = ctx.fingerprint ?? confluenceFingerprint(raw);
  const uid = `${ctx.siteHost}:${fingerprint}#${ctx.occurrence ?? 0}`;
  attrs['atlassian.audit.fingerprint'] = fingerprint;
  attrs['log.record.uid'] = uid;
  return {
    uid,
    timeMs: confluenceCreatedMs(raw) ?? ctx.observedMs,
    observedMs: ctx.observedMs,
    eventName: CONFLUENCE_AUDIT_EVENT_NAME,
    severity: failed ? Severity.WARN : Severity.INFO,
    body: raw === undefined ? null : (raw as AttributeValue),
    attributes: attrs,
  };
}

function salvage(raw: unknown, ctx: ConfluenceMapContext, attrs: Attributes, error: string): AuditLogRecord {
  attrs['atlassian.receiver.schema_error'] = error;
  putText(attrs, 'atlassian.audit.summary', own(raw, 'summary'));
  putText(attrs, 'atlassian.audit.category', own(raw, 'category'));
  const failed = putCategory(attrs, own(raw, 'summary'), own(raw, 'category'));
  return finish(raw, ctx, attrs, failed);
}

export function mapConfluenceRecord(raw: unknown, ctx: ConfluenceMapContext): AuditLogRecord {
  const base = (): Attributes => ({
    'atlassian.source': ctx.sourceName,
    'atlassian.product': 'confluence',
    'atlassian.site': ctx.site,
  });
  try {
    const parsed = confluenceAuditRecordSchema.safeParse(raw);
    if (!parsed.success) return salvage(raw, ctx, base(), describeIssues(parsed.error.issues));
    const attrs = base();
    const failed = putRecord(attrs, parsed.data);
    return finish(raw, ctx, attrs, failed);
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'unknown error';
    return salvage(raw, ctx, base(), truncate(`mapping failed: ${reason}`));
  }
}
