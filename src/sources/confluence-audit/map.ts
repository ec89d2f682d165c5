/**
 * Confluence Cloud audit record -> AuditLogRecord. Pure and total: a record the schema
 * rejects is still delivered (raw body plus `atlassian.receiver.schema_error`).
 */
import type { AttributeValue, Attributes, AuditLogRecord } from '../../pipeline/audit-log-record.js';
import { mapProductRecord, type ProductMapContext, type ProductMapping } from '../windowed/map-product-record.js';
import { isText, nonEmptyArray, type Maybe } from '../record-helpers.js';
import { confluenceCreatedMs, confluenceFingerprint } from './fingerprint.js';
import { confluenceAuditRecordSchema, type ConfluenceAuditRecord } from './schema.js';
import { isConfluenceAuditRecord } from './guard.js';

export const CONFLUENCE_AUDIT_EVENT_NAME = 'atlassian.confluence.audit_record';

export interface ConfluenceMapContext extends ProductMapContext {
  /** Which copy of identical records this is, counted within its millisecond (0 for the first). */
  readonly occurrence?: number;
  /** Precomputed by the source; computed here when absent. */
  readonly fingerprint?: string;
}

/** An affected object of `{name: "", objectType: ""}` means "none" in this API. */
function meaningfulObject(value: Maybe<{ name?: Maybe<string>; objectType?: Maybe<string> }>): AttributeValue | undefined {
  if (!value || (!value.name && !value.objectType)) return undefined;
  return value as AttributeValue;
}

// Literal keys throughout (named stores): the attributes object stays in V8's fast mode
// (see org-events/map.ts).
function putRecord(attrs: Attributes, r: ConfluenceAuditRecord): void {
  if (isText(r.summary)) attrs['atlassian.audit.summary'] = r.summary;
  if (isText(r.category)) attrs['atlassian.audit.category'] = r.category;
  if (isText(r.description)) attrs['atlassian.audit.description'] = r.description;
  const author = r.author;
  const accountId = typeof author?.accountId === 'string' && author.accountId !== '' ? author.accountId : undefined;
  // Confluence's own actions are authored by "System", without an account id.
  if (author) attrs['atlassian.actor.type'] = accountId ? 'user' : 'system';
  if (accountId != null) attrs['user.id'] = accountId;
  if (accountId && isText(author?.displayName)) attrs['user.full_name'] = author.displayName;
  if (isText(r.remoteAddress)) attrs['client.address'] = r.remoteAddress;
  if (r.sysAdmin != null) attrs['atlassian.confluence.sys_admin'] = r.sysAdmin;
  if (r.superAdmin != null) attrs['atlassian.confluence.super_admin'] = r.superAdmin;
  const object = meaningfulObject(r.affectedObject);
  if (object != null) attrs['atlassian.audit.object'] = object;
  const associated = nonEmptyArray(r.associatedObjects);
  if (associated != null) attrs['atlassian.audit.associated_items'] = associated;
  const changed = nonEmptyArray(r.changedValues);
  if (changed != null) attrs['atlassian.audit.changed_values'] = changed;
}

const CONFLUENCE_MAPPING: ProductMapping<ConfluenceAuditRecord, ConfluenceMapContext> = {
  product: 'confluence',
  eventName: CONFLUENCE_AUDIT_EVENT_NAME,
  schema: confluenceAuditRecordSchema,
  accepts: isConfluenceAuditRecord,
  putRecord,
  identify: (raw, attrs, ctx) => {
    const fingerprint = ctx.fingerprint ?? confluenceFingerprint(raw);
    attrs['atlassian.audit.fingerprint'] = fingerprint;
    return { uid: `${ctx.siteHost}:${fingerprint}#${ctx.occurrence ?? 0}`, timeMs: confluenceCreatedMs(raw) };
  },
};

export function mapConfluenceRecord(raw: unknown, ctx: ConfluenceMapContext): AuditLogRecord {
  return mapProductRecord(raw, ctx, CONFLUENCE_MAPPING);
}
