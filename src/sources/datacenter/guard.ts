/** A copy-free check that an event matches `dcAuditEventSchema` (see ../shape-checks.ts). */
import { isObject, optArrayOf, optString, optStringFields, safeInt, stringFields } from '../shape-checks.js';
import type { DcAuditEvent } from './schema.js';

const TEXT = ['source', 'system', 'node', 'method', 'version'] as const;
const TYPE = ['action', 'actionI18nKey', 'category', 'categoryI18nKey', 'area', 'level'] as const;
const AUTHOR_TEXT = ['name', 'type', 'uri', 'avatarUri'] as const;
const OBJECT_TEXT = ['name', 'type', 'uri'] as const;
const CHANGED_VALUE = ['key', 'i18nKey', 'from', 'to'] as const;
const EXTRA_ATTRIBUTE = ['name', 'nameI18nKey', 'value'] as const;

/** `z.union([z.string(), z.number()]).nullish()`: zod's numbers are finite. */
function optId(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

const withId = (keys: readonly string[]) => (v: unknown): boolean => stringFields(v, keys) && optId(v.id);
const object = withId(OBJECT_TEXT);
const author = withId(AUTHOR_TEXT);
const changedValue = (v: unknown): boolean => stringFields(v, CHANGED_VALUE);
const extraAttribute = (v: unknown): boolean => stringFields(v, EXTRA_ATTRIBUTE);

/** An ISO-8601 text Date.parse reads, or the audit file's `{epochSecond, nano}`. */
function timestamp(v: unknown): boolean {
  if (typeof v === 'string') return Number.isFinite(Date.parse(v));
  if (!isObject(v) || !safeInt(v.epochSecond)) return false;
  return safeInt(v.nano) && v.nano >= 0 && v.nano <= 999_999_999;
}

export function isDcAuditEvent(raw: unknown): raw is DcAuditEvent {
  if (!isObject(raw) || !timestamp(raw.timestamp)) return false;
  for (const key of TEXT) if (!optString(raw[key])) return false;
  const { type, auditType } = raw;
  if ((type === undefined || type === null) && (auditType === undefined || auditType === null)) return false;
  if (!optStringFields(type, TYPE) || !optStringFields(auditType, TYPE)) return false;
  if (raw.author !== undefined && raw.author !== null && !author(raw.author)) return false;
  return optArrayOf(raw.affectedObjects, object) && optArrayOf(raw.changedValues, changedValue) && optArrayOf(raw.extraAttributes, extraAttribute);
}
