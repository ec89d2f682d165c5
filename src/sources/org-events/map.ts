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
import { contentHash, describeIssues, isText, own, truncate, usableId } from '../record-helpers.js';
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

// Every store below names its attribute literally (a named store): V8 keeps the object in
// fast mode up to 128 properties that way, where a store through a variable key (a helper
// taking the key as a parameter) turns it into a hash table after 16, and an org record has
// up to 30 (bench/map-records.js: about 1 µs of mapping per event).
function putActor(attrs: Attributes, actor: OrgEventActor): void {
  const type = classifyActor(actor);
  const { id, name } = actor;
  if (id != null) attrs['atlassian.actor.id'] = id;
  if (type !== undefined) attrs['atlassian.actor.type'] = type;
  if (type === 'user') {
    if (id != null) attrs['user.id'] = id;
    if (name != null) attrs['user.full_name'] = name;
    if (typeof actor.email === 'string' && actor.email.includes('@')) {
      attrs['user.email'] = actor.email;
    }
    // A user acting through an app (spec field `actor.app`).
    const appId = actor.app?.id;
    if (appId != null) attrs['atlassian.actor.app.id'] = appId;
  } else if (type !== undefined) {
    if (id != null) attrs['atlassian.actor.app.id'] = id;
    if (name != null) attrs['atlassian.actor.app.name'] = name;
  }
  const appType = actor.app?.type;
  if (appType != null) attrs['atlassian.actor.app.type'] = appType;
  const auth = actor.auth;
  if (auth != null) {
    if (auth.authType != null) attrs['atlassian.actor.auth.type'] = auth.authType;
    if (auth.tokenId != null) attrs['atlassian.actor.auth.token_id'] = auth.tokenId;
    if (auth.tokenLabel != null) attrs['atlassian.actor.auth.token_label'] = auth.tokenLabel;
  }
  const behalf = actor.onBehalfOf;
  if (behalf != null) {
    if (behalf.id != null) attrs['atlassian.actor.on_behalf_of.id'] = behalf.id;
    if (behalf.name != null) attrs['atlassian.actor.on_behalf_of.name'] = behalf.name;
    if (behalf.email != null) attrs['atlassian.actor.on_behalf_of.email'] = behalf.email;
  }
}

// Elastic drops empty location strings: an empty IP is not an address.
function putLocation(attrs: Attributes, location: OrgEventLocation): void {
  const { ip, city, countryName, regionName, geo } = location;
  if (isText(ip)) attrs['client.address'] = ip;
  if (isText(city)) attrs['geo.locality.name'] = city;
  if (isText(countryName)) attrs['atlassian.location.country_name'] = countryName;
  if (isText(regionName)) attrs['atlassian.location.region_name'] = regionName;
  if (isText(geo)) attrs['atlassian.location.geo'] = geo;
  if (isText(countryName)) {
    const iso = countryIsoCode(countryName);
    if (iso !== undefined) attrs['geo.country.iso_code'] = iso;
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
  if (a.processedAt != null) attrs['atlassian.audit.processed_at'] = a.processedAt;
  if (a.actor) putActor(attrs, a.actor);
  if (a.location) putLocation(attrs, a.location);
  const container = flattenObjectRefs(a.container);
  if (container.ids) attrs['atlassian.audit.container.ids'] = container.ids;
  if (container.types) attrs['atlassian.audit.container.types'] = container.types;
  if (container.names) attrs['atlassian.audit.container.names'] = container.names;
  const context = flattenObjectRefs(a.context);
  if (context.ids) attrs['atlassian.audit.context.ids'] = context.ids;
  if (context.types) attrs['atlassian.audit.context.types'] = context.types;
  if (context.names) attrs['atlassian.audit.context.names'] = context.names;
  const message = event.message;
  if (message != null) {
    if (message.content != null) attrs['atlassian.audit.message'] = message.content;
    if (message.format != null) attrs['atlassian.audit.message_format'] = message.format;
  }
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
