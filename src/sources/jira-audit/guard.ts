/** A copy-free check that a record matches `jiraAuditRecordSchema` (see ../shape-checks.ts). */
import { isObject, optArrayOf, optString, optStringFields, safeInt, stringFields } from '../shape-checks.js';
import type { JiraAuditRecord } from './schema.js';

const TEXT = ['summary', 'category', 'eventSource', 'description', 'remoteAddress', 'authorKey', 'authorAccountId'] as const;
const ITEM = ['id', 'name', 'typeName', 'parentId', 'parentName'] as const;
const CHANGED_VALUE = ['fieldName', 'changedFrom', 'changedTo'] as const;

const item = (v: unknown): boolean => stringFields(v, ITEM);
const changedValue = (v: unknown): boolean => stringFields(v, CHANGED_VALUE);

export function isJiraAuditRecord(raw: unknown): raw is JiraAuditRecord {
  if (!isObject(raw)) return false;
  const id = raw.id;
  if (!(safeInt(id) ? id >= 0 : typeof id === 'string' && id !== '')) return false;
  if (typeof raw.created !== 'string') return false;
  for (const key of TEXT) if (!optString(raw[key])) return false;
  return optStringFields(raw.objectItem, ITEM) && optArrayOf(raw.changedValues, changedValue) && optArrayOf(raw.associatedItems, item);
}
