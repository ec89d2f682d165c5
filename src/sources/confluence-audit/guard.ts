/** A copy-free check that a record matches `confluenceAuditRecordSchema` (see ../shape-checks.ts). */
import { isObject, optArrayOf, optBool, optString, optStringFields, safeInt, stringFields } from '../shape-checks.js';
import type { ConfluenceAuditRecord } from './schema.js';

const TEXT = ['remoteAddress', 'summary', 'description', 'category'] as const;
const AUTHOR_TEXT = ['type', 'displayName', 'accountId', 'username', 'userKey', 'accountType', 'publicName'] as const;
const OBJECT = ['name', 'objectType'] as const;
const CHANGED_VALUE = ['name', 'oldValue', 'newValue', 'hiddenOldValue', 'hiddenNewValue'] as const;

const object = (v: unknown): boolean => stringFields(v, OBJECT);
const changedValue = (v: unknown): boolean => stringFields(v, CHANGED_VALUE);

function optAuthor(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  return stringFields(v, AUTHOR_TEXT) && optBool(v.externalCollaborator) && optBool(v.isExternalCollaborator);
}

export function isConfluenceAuditRecord(raw: unknown): raw is ConfluenceAuditRecord {
  if (!isObject(raw)) return false;
  if (!safeInt(raw.creationDate)) return false;
  for (const key of TEXT) if (!optString(raw[key])) return false;
  if (!optBool(raw.sysAdmin) || !optBool(raw.superAdmin) || !optAuthor(raw.author)) return false;
  return optStringFields(raw.affectedObject, OBJECT) && optArrayOf(raw.changedValues, changedValue) && optArrayOf(raw.associatedObjects, object);
}
