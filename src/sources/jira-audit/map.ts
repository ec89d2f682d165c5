/**
 * Jira Cloud audit record -> AuditLogRecord. Pure and total, like the org mapping: a record
 * the schema rejects is still delivered (raw body plus `atlassian.receiver.schema_error`).
 */
import type { AttributeValue, Attributes, AuditLogRecord } from '../../pipeline/audit-log-record.js';
import { mapProductRecord, type ProductMapContext, type ProductMapping } from '../windowed/map-product-record.js';
import { contentHash, isText, nonEmptyArray, own, type Maybe, usableId } from '../record-helpers.js';
import { jiraAuditRecordSchema, type JiraAuditRecord } from './schema.js';
import { isJiraAuditRecord } from './guard.js';

export const JIRA_AUDIT_EVENT_NAME = 'atlassian.jira.audit_record';

export type JiraMapContext = ProductMapContext;

/** The record's id as a string, when it has a usable one: the dedup key and the uid's tail. */
export function jiraRecordId(raw: unknown): string | undefined {
  const id = own(raw, 'id');
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return String(id);
  if (usableId(id)) return id;
  return undefined;
}

/** `created` in epoch ms; Jira writes `2022-01-24T08:48:05.645+0000`, which Date.parse reads. */
export function jiraCreatedMs(raw: unknown): number | undefined {
  const created = own(raw, 'created');
  const ms = typeof created === 'string' ? Date.parse(created) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

// Literal keys throughout (named stores): the attributes object stays in V8's fast mode
// (see org-events/map.ts).
function putRecord(attrs: Attributes, r: JiraAuditRecord): void {
  attrs['atlassian.event.id'] = String(r.id);
  if (isText(r.summary)) attrs['atlassian.audit.summary'] = r.summary;
  if (isText(r.category)) attrs['atlassian.audit.category'] = r.category;
  if (isText(r.eventSource)) attrs['atlassian.audit.event_source'] = r.eventSource;
  if (isText(r.description)) attrs['atlassian.audit.description'] = r.description;
  // Records without an author are Jira's own (system) actions, e.g. directory sync.
  const accountId = typeof r.authorAccountId === 'string' && r.authorAccountId !== '' ? r.authorAccountId : undefined;
  attrs['atlassian.actor.type'] = accountId ? 'user' : 'system';
  if (accountId != null) attrs['user.id'] = accountId;
  if (isText(r.authorKey)) attrs['atlassian.audit.author_key'] = r.authorKey;
  if (isText(r.remoteAddress)) attrs['client.address'] = r.remoteAddress;
  const object = r.objectItem as Maybe<AttributeValue>;
  if (object != null) attrs['atlassian.audit.object'] = object;
  const changed = nonEmptyArray(r.changedValues);
  if (changed != null) attrs['atlassian.audit.changed_values'] = changed;
  const associated = nonEmptyArray(r.associatedItems);
  if (associated != null) attrs['atlassian.audit.associated_items'] = associated;
}

const JIRA_MAPPING: ProductMapping<JiraAuditRecord, JiraMapContext> = {
  product: 'jira',
  eventName: JIRA_AUDIT_EVENT_NAME,
  schema: jiraAuditRecordSchema,
  accepts: isJiraAuditRecord,
  putRecord,
  salvage: (attrs, raw) => {
    const id = jiraRecordId(raw);
    if (id !== undefined) attrs['atlassian.event.id'] = id;
  },
  identify: (raw, _attrs, ctx) => {
    const id = jiraRecordId(raw);
    // No id: a content hash still lets the same record dedupe against itself on a re-read.
    return { uid: `${ctx.siteHost}:${id ?? `sha256:${contentHash(raw)}`}`, timeMs: jiraCreatedMs(raw) };
  },
};

export function mapJiraRecord(raw: unknown, ctx: JiraMapContext): AuditLogRecord {
  return mapProductRecord(raw, ctx, JIRA_MAPPING);
}
