import type * as z from '../../util/zod.js';
import { Severity } from '../../pipeline/audit-log-record.js';
import type { AttributeValue, Attributes, AuditLogRecord } from '../../pipeline/audit-log-record.js';
import { describeIssues, own, putText, truncate } from '../record-helpers.js';
import { categorizeAuditSummary } from './summary-categorize.js';

/** What differs between the Jira and Confluence mappings; the skeleton below is shared. */
export interface ProductMapping<R, C extends ProductMapContext = ProductMapContext> {
  readonly product: 'jira' | 'confluence';
  readonly eventName: string;
  readonly schema: z.ZodType<R>;
  /** A copy-free check accepting a subset of what `schema` accepts (../shape-checks.ts). */
  readonly accepts: (raw: unknown) => raw is R;
  /** Product attributes of a record that passed the schema (categorisation is added here). */
  putRecord(attrs: Attributes, record: R): void;
  /** What can still be read from a record the schema rejected, beyond summary and category. */
  salvage?(attrs: Attributes, raw: unknown): void;
  /** Sets `log.record.uid` (and any identity attributes) and returns the uid and event time. */
  identify(raw: unknown, attrs: Attributes, ctx: C): { uid: string; timeMs: number | undefined };
}

export interface ProductMapContext {
  readonly site: string;
  /** Uid namespace: the site's host. */
  readonly siteHost: string;
  readonly sourceName: string;
  readonly observedMs: number;
}

/**
 * Pure and total: a record the schema rejects is still delivered (raw body plus
 * `atlassian.receiver.schema_error`), and only hostile non-JSON values (throwing getters,
 * proxies) reach the catch.
 */
export function mapProductRecord<R, C extends ProductMapContext>(raw: unknown, ctx: C, m: ProductMapping<R, C>): AuditLogRecord {
  const base = (): Attributes => ({
    'atlassian.source': ctx.sourceName,
    'atlassian.product': m.product,
    'atlassian.deployment': 'cloud',
    'atlassian.site': ctx.site,
  });
  let attrs = base();
  let failed: boolean;
  try {
    const parsed = m.accepts(raw) ? { success: true as const, data: raw } : m.schema.safeParse(raw);
    if (parsed.success) {
      m.putRecord(attrs, parsed.data);
      failed = putCategory(attrs, own(raw, 'summary'), own(raw, 'category'));
    } else {
      failed = salvage(raw, attrs, m, describeIssues(parsed.error.issues));
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'unknown error';
    attrs = base();
    failed = salvage(raw, attrs, m, truncate(`mapping failed: ${reason}`));
  }
  // One "what happened" attribute across sources: rules and dashboards need no case per
  // source. The summary is the only such field these APIs have; its old key stays.
  const summary = attrs['atlassian.audit.summary'];
  if (summary !== undefined) attrs['atlassian.audit.action'] = summary;
  const { uid, timeMs } = m.identify(raw, attrs, ctx);
  attrs['log.record.uid'] = uid;
  return {
    uid,
    timeMs: timeMs ?? ctx.observedMs,
    observedMs: ctx.observedMs,
    eventName: m.eventName,
    severity: failed ? Severity.WARN : Severity.INFO,
    body: raw === undefined ? null : (raw as AttributeValue),
    attributes: attrs,
  };
}

/** Reads what can be read safely so a rejected record still sorts, dedups and alerts. */
function salvage<R, C extends ProductMapContext>(raw: unknown, attrs: Attributes, m: ProductMapping<R, C>, error: string): boolean {
  attrs['atlassian.receiver.schema_error'] = error;
  m.salvage?.(attrs, raw);
  putText(attrs, 'atlassian.audit.summary', own(raw, 'summary'));
  putText(attrs, 'atlassian.audit.category', own(raw, 'category'));
  return putCategory(attrs, own(raw, 'summary'), own(raw, 'category'));
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
