/**
 * Zod schemas for the Confluence Cloud audit log (`AuditRecord` / `AuditRecordArray` in the
 * Confluence v1 OpenAPI). Loose: unknown keys kept, null accepted where a field is optional.
 * Only `creationDate` is required; real records have no id at all.
 */
import * as z from '../../util/zod.js';

const optString = z.string().nullish();
const optBool = z.boolean().nullish();

export const confluenceObjectSchema = z.looseObject({
  name: optString,
  objectType: optString,
});

export const confluenceChangedValueSchema = z.looseObject({
  name: optString,
  oldValue: optString,
  newValue: optString,
  hiddenOldValue: optString,
  hiddenNewValue: optString,
});

export const confluenceAuthorSchema = z.looseObject({
  type: optString,
  displayName: optString,
  // "System" authors have no accountId, username or userKey.
  accountId: optString,
  username: optString,
  userKey: optString,
  accountType: optString,
  publicName: optString,
  externalCollaborator: optBool,
  isExternalCollaborator: optBool,
  operations: z.unknown().optional(),
});

export const confluenceAuditRecordSchema = z.looseObject({
  author: confluenceAuthorSchema.nullish(),
  remoteAddress: optString,
  creationDate: z.number().int(),
  summary: optString,
  description: optString,
  category: optString,
  sysAdmin: optBool,
  superAdmin: optBool,
  affectedObject: confluenceObjectSchema.nullish(),
  changedValues: z.array(confluenceChangedValueSchema).nullish(),
  associatedObjects: z.array(confluenceObjectSchema).nullish(),
});

/** The envelope. `size` is not a total (test servers and Atlassian disagree on it): never used to stop. */
export const confluenceAuditPageSchema = z.looseObject({
  results: z.array(z.unknown()),
  start: z.number().nullish(),
  limit: z.number().nullish(),
  size: z.number().nullish(),
  _links: z.unknown().optional(),
});

export type ConfluenceAuditRecord = z.infer<typeof confluenceAuditRecordSchema>;
export type ConfluenceAuditPage = z.infer<typeof confluenceAuditPageSchema>;
