/** Attribute writers for the parts of a Data Center event that need more than a copy. */
import type { AttributeValue, Attributes } from '../../pipeline/audit-log-record.js';
import { isText, type Maybe } from '../record-helpers.js';
import type { DcAuditEvent } from './schema.js';

type Author = NonNullable<DcAuditEvent['author']>;
type AffectedObject = NonNullable<DcAuditEvent['affectedObjects']>[number];
type ExtraAttribute = NonNullable<DcAuditEvent['extraAttributes']>[number];

/**
 * Bitbucket writes id -1 for the system and -2 for anonymous; Jira and Confluence files use
 * the same ids ("Anonymous", type "user"). Only a real user becomes `user.*`.
 */
export function putDcActor(attrs: Attributes, author: Maybe<Author>): void {
  const id = author?.id === undefined || author.id === null || author.id === '' ? undefined : String(author.id);
  const kind = (author?.type ?? '').toLowerCase();
  const actor = !author || id === '-1' || kind === 'system' ? 'system' : id === '-2' || kind === 'anonymous' ? 'anonymous' : 'user';
  attrs['atlassian.actor.type'] = actor;
  const authorType = author?.type;
  if (isText(authorType)) attrs['atlassian.audit.author_type'] = authorType;
  if (actor !== 'user') return;
  if (id !== undefined) attrs['user.id'] = id;
  const name = author?.name;
  if (isText(name)) attrs['user.name'] = name;
}

/** `source` can be an X-Forwarded-For chain ("client, proxy1, …"): the first is the client. */
export function putDcSource(attrs: Attributes, source: Maybe<string>): void {
  const chain = (source ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (chain.length === 0) return;
  attrs['client.address'] = chain[0]!;
  attrs['atlassian.audit.source_addresses'] = chain;
}

/**
 * Flattened like the org source's container/context (org-events/object-refs.ts): `.ids` and
 * `.names` list the values present, `.types` each type once; the body keeps the objects whole.
 */
export function putDcObjects(attrs: Attributes, objects: Maybe<readonly AffectedObject[]>): void {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
  const ids = (objects ?? []).map((o) => text(o.id)).filter((v) => v !== undefined);
  const types = [...new Set((objects ?? []).map((o) => text(o.type)).filter((v) => v !== undefined))];
  const names = (objects ?? []).map((o) => text(o.name)).filter((v) => v !== undefined);
  if (ids.length > 0) attrs['atlassian.audit.affected_objects.ids'] = ids;
  if (types.length > 0) attrs['atlassian.audit.affected_objects.types'] = types;
  if (names.length > 0) attrs['atlassian.audit.affected_objects.names'] = names;
}

/**
 * A map keyed by the stable i18n key (the localised name when there is none). Bitbucket puts
 * JSON in some values (`{"old.project":"TEST","new.project":"AT"}`): those are parsed so rules
 * can reach inside; anything else stays the string it was. A repeated key collects an array.
 */
export function putExtraAttributes(attrs: Attributes, extra: Maybe<readonly ExtraAttribute[]>): void {
  const byKey = new Map<string, AttributeValue[]>();
  for (const a of extra ?? []) {
    const key = a.nameI18nKey || a.name;
    if (!key || typeof a.value !== 'string') continue;
    byKey.set(key, [...(byKey.get(key) ?? []), parseJsonValue(a.value)]);
  }
  if (byKey.size === 0) return;
  // fromEntries defines own keys, so a key named "__proto__" stays data.
  attrs['atlassian.audit.extra_attributes'] = Object.fromEntries([...byKey].map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

function parseJsonValue(value: string): AttributeValue {
  const t = value.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return value;
  try {
    return JSON.parse(t) as AttributeValue;
  } catch {
    return value;
  }
}
