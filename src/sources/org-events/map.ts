/**
 * Organizations audit event -> AuditLogRecord. Pure and total: an audit receiver must never
 * drop an event, so anything the schema rejects still becomes a record (raw body, plus
 * `atlassian.receiver.schema_error`) instead of an exception that would stall the cursor.
 */
import { Severity } from '../../pipeline/audit-log-record.js';
import type { AttributeValue, Attributes, AuditLogRecord } from '../../pipeline/audit-log-record.js';
import { categorizeOrgAction } from './categorize.js';
import { countryIsoCode } from './countries.js';
import { flattenObjectRefs } from './object-refs.js';
import { contentHash, describeIssues, own, put, putText, truncate, usableId } from '../record-helpers.js';
import { isOrgEvent } from './guard.js';
import { orgEventSchema } from './schema.js';
import type { OrgEvent, OrgEventActor, OrgEventLocation } from './schema.js';

export const ORG_AUDIT_EVENT_NAME = 'atlassian.org.audit_event';

export interface OrgEventMapContext {
  readonly orgId: string;
  readonly sourceName: string;
  readonly observedMs: number;
}

export type OrgActorType = 'user' | 'app' | 'system';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Account ids look like `712020:<uuid>` or a bare UUID; apps use product names
 * ("confluence") and carry labels such as "Atlassian app" in `email`.
 */
export function classifyActor(actor: OrgEventActor): OrgActorType | undefined {
  const { id, name, email } = actor;
  if (typeof email === 'string' && email.includes('@')) return 'user';
  if (typeof id === 'string' && (id.includes(':') || UUID.test(id))) return 'user';
  if (id === 'system' || name === 'System') return 'system';
  return typeof id === 'string' && id !== '' ? 'app' : undefined;
}

function putActor(attrs: Attributes, actor: OrgEventActor): void {
  const type = classifyActor(actor);
  put(attrs, 'atlassian.actor.id', actor.id);
  put(attrs, 'atlassian.actor.type', type);
  if (type === 'user') {
    put(attrs, 'user.id', actor.id);
    put(attrs, 'user.full_name', actor.name);
    if (typeof actor.email === 'string' && actor.email.includes('@')) {
      attrs['user.email'] = actor.email;
    }
    // A user acting through an app (spec field `actor.app`).
    put(attrs, 'atlassian.actor.app.id', actor.app?.id);
  } else if (type !== undefined) {
    put(attrs, 'atlassian.actor.app.id', actor.id);
    put(attrs, 'atlassian.actor.app.name', actor.name);
  }
  put(attrs, 'atlassian.actor.app.type', actor.app?.type);
  put(attrs, 'atlassian.actor.auth.type', actor.auth?.authType);
  put(attrs, 'atlassian.actor.auth.token_id', actor.auth?.tokenId);
  put(attrs, 'atlassian.actor.auth.token_label', actor.auth?.tokenLabel);
  put(attrs, 'atlassian.actor.on_behalf_of.id', actor.onBehalfOf?.id);
  put(attrs, 'atlassian.actor.on_behalf_of.name', actor.onBehalfOf?.name);
  put(attrs, 'atlassian.actor.on_behalf_of.email', actor.onBehalfOf?.email);
}

// Elastic drops empty location strings: an empty IP is not an address.
function putLocation(attrs: Attributes, location: OrgEventLocation): void {
  putText(attrs, 'client.address', location.ip);
  putText(attrs, 'geo.locality.name', location.city);
  putText(attrs, 'atlassian.location.country_name', location.countryName);
  putText(attrs, 'atlassian.location.region_name', location.regionName);
  putText(attrs, 'atlassian.location.geo', location.geo);
  if (typeof location.countryName === 'string' && location.countryName !== '') {
    put(attrs, 'geo.country.iso_code', countryIsoCode(location.countryName));
  }
}

/** Categorises and returns whether the action failed (drives severity). */
function putAction(attrs: Attributes, action: unknown): boolean {
  if (typeof action !== 'string' || action === '') return false;
  attrs['atlassian.audit.action'] = action;
  const { category, type, outcome } = categorizeOrgAction(action);
  attrs['atlassian.event.category'] = category;
  attrs['atlassian.event.type'] = type;
  attrs['atlassian.event.outcome'] = outcome;
  return outcome === 'failure';
}

function putEvent(attrs: Attributes, event: OrgEvent): boolean {
  const a = event.attributes;
  attrs['atlassian.event.id'] = event.id;
  const failed = putAction(attrs, a.action);
  put(attrs, 'atlassian.audit.processed_at', a.processedAt);
  if (a.actor) putActor(attrs, a.actor);
  if (a.location) putLocation(attrs, a.location);
  flattenObjectRefs(attrs, 'atlassian.audit.container', a.container);
  flattenObjectRefs(attrs, 'atlassian.audit.context', a.context);
  put(attrs, 'atlassian.audit.message', event.message?.content);
  put(attrs, 'atlassian.audit.message_format', event.message?.format);
  return failed;
}

function parseTime(time: unknown, fallback: number): number {
  const ms = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(ms) ? ms : fallback;
}

function finish(raw: unknown, ctx: OrgEventMapContext, attrs: Attributes, id: unknown, time: unknown,
  failed: boolean): AuditLogRecord {
  const uid = usableId(id) ? `${ctx.orgId}:${id}` : `${ctx.orgId}:sha256:${contentHash(raw)}`;
  attrs['log.record.uid'] = uid;
  return {
    uid,
    timeMs: parseTime(time, ctx.observedMs),
    observedMs: ctx.observedMs,
    eventName: ORG_AUDIT_EVENT_NAME,
    severity: failed ? Severity.WARN : Severity.INFO,
    body: raw === undefined ? null : (raw as AttributeValue),
    attributes: attrs,
  };
}

/** Reads what can be read safely so a rejected record still sorts, dedups and alerts. */
function salvage(raw: unknown, ctx: OrgEventMapContext, attrs: Attributes, error: string): AuditLogRecord {
  attrs['atlassian.receiver.schema_error'] = error;
  const id = own(raw, 'id');
  if (typeof id === 'string' && id !== '') attrs['atlassian.event.id'] = id;
  const attributes = own(raw, 'attributes');
  const failed = putAction(attrs, own(attributes, 'action'));
  return finish(raw, ctx, attrs, id, own(attributes, 'time'), failed);
}

export function mapOrgEvent(raw: unknown, ctx: OrgEventMapContext): AuditLogRecord {
  const base = (): Attributes => ({
    'atlassian.source': ctx.sourceName,
    'atlassian.product': 'organization',
    'atlassian.deployment': 'cloud',
    'atlassian.org.id': ctx.orgId,
  });
  try {
    // The copy-free check first; only what it refuses pays for zod's copy (../shape-checks.ts).
    const parsed = isOrgEvent(raw) ? { success: true as const, data: raw } : orgEventSchema.safeParse(raw);
    if (!parsed.success) return salvage(raw, ctx, base(), describeIssues(parsed.error.issues));
    const event = parsed.data;
    const attrs = base();
    const failed = putEvent(attrs, event);
    return finish(raw, ctx, attrs, event.id, event.attributes.time, failed);
  } catch (err) {
    // Only hostile non-JSON values (throwing getters, proxies) get here.
    const reason = err instanceof Error ? err.message : 'unknown error';
    return salvage(raw, ctx, base(), truncate(`mapping failed: ${reason}`));
  }
}
