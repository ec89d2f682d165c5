/**
 * Zod schemas for Jira Cloud audit records (`AuditRecords` / `AuditRecordBean` in the
 * platform OpenAPI). Loose, like every input schema here: the spec's own example carries
 * `authorAccountId`, which the bean does not declare, so unknown keys are kept and optional
 * fields accept null. Only `id` and `created` are required.
 */
import * as z from '../../util/zod.js';

const optString = z.string().nullish();

export const jiraItemSchema = z.looseObject({
  id: optString,
  name: optString,
  typeName: optString,
  parentId: optString,
  parentName: optString,
});

export const jiraChangedValueSchema = z.looseObject({
  fieldName: optString,
  changedFrom: optString,
  changedTo: optString,
});

export const jiraAuditRecordSchema = z.looseObject({
  // int64 in the spec; a string id is tolerated rather than turning the record into a salvage.
  id: z.union([z.number().int().nonnegative(), z.string().min(1)]),
  created: z.string(),
  summary: optString,
  category: optString,
  eventSource: optString,
  description: optString,
  remoteAddress: optString,
  authorKey: optString,
  authorAccountId: optString,
  objectItem: jiraItemSchema.nullish(),
  changedValues: z.array(jiraChangedValueSchema).nullish(),
  associatedItems: z.array(jiraItemSchema).nullish(),
});

/** The envelope. `records` stays unknown[] so one malformed record never rejects its page. */
export const jiraAuditPageSchema = z.looseObject({
  offset: z.number().nullish(),
  limit: z.number().nullish(),
  // A hint only (tail-walk.ts): never paged "until total", since it can be absent or wrong.
  total: z.number().nullish(),
  records: z.array(z.unknown()),
});

export type JiraAuditRecord = z.infer<typeof jiraAuditRecordSchema>;
export type JiraAuditPage = z.infer<typeof jiraAuditPageSchema>;
