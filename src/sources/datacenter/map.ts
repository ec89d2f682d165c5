/**
 * Data Center audit event -> AuditLogRecord, for both shapes (REST `type`, file `auditType`):
 * the same event maps to the same attributes whichever way it was read. Pure and total: an
 * event the schema rejects is still delivered (raw body plus `atlassian.receiver.schema_error`).
 */
import { Severity, type AttributeValue, type Attributes, type AuditLogRecord } from '../../pipeline/audit-log-record.js';
import { copyKey } from '../record-fingerprint.js';
import { describeIssues, isText, nonEmptyArray, own, putText, truncate } from '../record-helpers.js';
import { putDcActor, putDcObjects, putDcSource, putExtraAttributes } from './attributes.js';
import { categorizeDcAction } from './categorize.js';
import { dcAuditType, dcEventTimeMs, dcFingerprint } from './identity.js';
import type { DcProduct } from './product.js';
import { dcAuditEventSchema, type DcAuditEvent } from './schema.js';
import { isDcAuditEvent } from './guard.js';

export const DC_AUDIT_EVENT_NAME = 'atlassian.datacenter.audit_event';

export interface DcMapContext {
  readonly product: DcProduct;
  readonly sourceName: string;
  readonly observedMs: number;
  /** The instance URL the source was configured with; an event's own `system` wins. */
  readonly system?: string;
  /** Precomputed by the source; computed here when absent. */
  readonly fingerprint?: string;
  /** Which copy of identical events this is (0 for the first). */
  readonly occurrence?: number;
}

function putEvent(attrs: Attributes, e: DcAuditEvent, product: DcProduct): boolean {
  const type = e.type ?? e.auditType;
  // Literal keys throughout (named stores): the attributes object stays in V8's fast mode
  // (see org-events/map.ts).
  if (type != null) {
    if (isText(type.action)) attrs['atlassian.audit.action'] = type.action;
    if (isText(type.actionI18nKey)) attrs['atlassian.audit.action_key'] = type.actionI18nKey;
    if (isText(type.category)) attrs['atlassian.audit.category'] = type.category;
    if (isText(type.categoryI18nKey)) attrs['atlassian.audit.category_key'] = type.categoryI18nKey;
    if (isText(type.area)) attrs['atlassian.audit.area'] = type.area;
    if (isText(type.level)) attrs['atlassian.audit.level'] = type.level;
  }
  if (isText(e.method)) attrs['atlassian.audit.method'] = e.method;
  if (isText(e.node)) attrs['atlassian.datacenter.node'] = e.node;
  if (isText(e.system)) attrs['atlassian.datacenter.system'] = e.system;
  putDcActor(attrs, e.author);
  putDcSource(attrs, e.source);
  putDcObjects(attrs, e.affectedObjects);
  const changed = nonEmptyArray(e.changedValues);
  if (changed !== undefined) attrs['atlassian.audit.changed_values'] = changed;
  putExtraAttributes(attrs, e.extraAttributes);
  return putCategory(attrs, product, type?.actionI18nKey);
}

/** Categorises and returns whether the action failed (drives severity). */
function putCategory(attrs: Attributes, product: DcProduct, actionKey: unknown): boolean {
  const c = categorizeDcAction(product, actionKey);
  if (c.category.length > 0) attrs['atlassian.event.category'] = [...c.category];
  attrs['atlassian.event.type'] = [...c.type];
  if (c.outcome != null) attrs['atlassian.event.outcome'] = c.outcome;
  return c.outcome === 'failure';
}

/** Reads what can be read safely so a rejected event still sorts, dedups and alerts. */
function salvage(raw: unknown, attrs: Attributes, product: DcProduct, error: string): boolean {
  attrs['atlassian.receiver.schema_error'] = error;
  const type = dcAuditType(raw);
  putText(attrs, 'atlassian.audit.action', own(type, 'action'));
  putText(attrs, 'atlassian.audit.action_key', own(type, 'actionI18nKey'));
  putText(attrs, 'atlassian.audit.category', own(type, 'category'));
  putText(attrs, 'atlassian.audit.category_key', own(type, 'categoryI18nKey'));
  putText(attrs, 'atlassian.datacenter.node', own(raw, 'node'));
  putText(attrs, 'atlassian.datacenter.system', own(raw, 'system'));
  return putCategory(attrs, product, own(type, 'actionI18nKey'));
}

/** The uid's namespace: the instance (host and context path), as Cloud uses the site host. */
function instanceOf(system: unknown, fallback: string): string {
  if (typeof system !== 'string' || system === '') return fallback;
  try {
    const url = new URL(system);
    return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return system;
  }
}

export function mapDataCenterEvent(raw: unknown, ctx: DcMapContext): AuditLogRecord {
  const base = (): Attributes => ({ 'atlassian.source': ctx.sourceName, 'atlassian.product': ctx.product, 'atlassian.deployment': 'datacenter' });
  let attrs = base();
  let failed: boolean;
  try {
    // The copy-free check first; only what it refuses pays for zod's copy (../shape-checks.ts).
    const parsed = isDcAuditEvent(raw) ? { success: true as const, data: raw } : dcAuditEventSchema.safeParse(raw);
    failed = parsed.success ? putEvent(attrs, parsed.data, ctx.product) : salvage(raw, attrs, ctx.product, describeIssues(parsed.error.issues));
  } catch (err) {
    // Only hostile non-JSON values (throwing getters, proxies) get here.
    const reason = err instanceof Error ? err.message : 'unknown error';
    attrs = base();
    failed = salvage(raw, attrs, ctx.product, truncate(`mapping failed: ${reason}`));
  }
  const fingerprint = ctx.fingerprint ?? dcFingerprint(raw);
  const system = typeof attrs['atlassian.datacenter.system'] === 'string' ? attrs['atlassian.datacenter.system'] : ctx.system;
  const uid = `${instanceOf(system, `${ctx.product}-dc:${ctx.sourceName}`)}:${copyKey(fingerprint, ctx.occurrence ?? 0)}`;
  attrs['atlassian.audit.fingerprint'] = fingerprint;
  attrs['log.record.uid'] = uid;
  return {
    uid,
    timeMs: dcEventTimeMs(raw) ?? ctx.observedMs,
    observedMs: ctx.observedMs,
    eventName: DC_AUDIT_EVENT_NAME,
    severity: failed ? Severity.WARN : Severity.INFO,
    body: raw === undefined ? null : (raw as AttributeValue),
    attributes: attrs,
  };
}
