/**
 * Zod schemas for Data Center audit events (Jira 8.8+, Confluence 7.5+, Bitbucket 7.0+), in
 * both shapes the platform writes them:
 * - REST (`GET /rest/auditing/1.0/events`): `type{…}` and an ISO-8601 `timestamp` string;
 * - audit file (`<local-home>/log/audit/*.audit.log`): `auditType{…, area, level}`,
 *   `timestamp{epochSecond, nano}` and `version`.
 * Loose like every input schema here: unknown keys kept, optional fields accept null. Only a
 * timestamp and one of `type`/`auditType` are required.
 */
import * as z from '../../util/zod.js';

const optString = z.string().nullish();
/** Ids are strings in every sample; a number is tolerated rather than rejecting the event. */
const optId = z.union([z.string(), z.number()]).nullish();

export const dcAuditTypeSchema = z.looseObject({
  action: optString,
  actionI18nKey: optString,
  category: optString,
  categoryI18nKey: optString,
  area: optString,
  level: optString,
});

export const dcAuthorSchema = z.looseObject({ id: optId, name: optString, type: optString, uri: optString, avatarUri: optString });
export const dcObjectSchema = z.looseObject({ id: optId, name: optString, type: optString, uri: optString });
export const dcChangedValueSchema = z.looseObject({ key: optString, i18nKey: optString, from: optString, to: optString });
export const dcExtraAttributeSchema = z.looseObject({ name: optString, nameI18nKey: optString, value: optString });

export const dcFileTimestampSchema = z.looseObject({
  epochSecond: z.number().int(),
  nano: z.number().int().min(0).max(999_999_999),
});

export const dcAuditEventSchema = z
  .looseObject({
    timestamp: z.union([z.string().refine((t) => Number.isFinite(Date.parse(t)), 'not an ISO-8601 time'), dcFileTimestampSchema]),
    type: dcAuditTypeSchema.nullish(),
    auditType: dcAuditTypeSchema.nullish(),
    author: dcAuthorSchema.nullish(),
    affectedObjects: z.array(dcObjectSchema).nullish(),
    changedValues: z.array(dcChangedValueSchema).nullish(),
    extraAttributes: z.array(dcExtraAttributeSchema).nullish(),
    source: optString,
    system: optString,
    node: optString,
    method: optString,
    version: optString,
  })
  .refine((e) => e.type != null || e.auditType != null, { message: 'neither type nor auditType is present', path: ['type'] });

/** The REST envelope. `entities` stays unknown[] so one malformed event never rejects its page. */
export const dcAuditPageSchema = z.looseObject({
  entities: z.array(z.unknown()),
  pagingInfo: z
    .looseObject({
      lastPage: z.boolean().nullish(),
      size: z.number().nullish(),
      nextPageLink: optString,
      nextPageOffset: z.number().nullish(),
      // Documented as {cursor}; some versions answer a bare string ("1637539714166,47").
      nextPageCursor: z.union([z.string(), z.looseObject({ cursor: optString })]).nullish(),
    })
    .nullish(),
});

export type DcAuditEvent = z.infer<typeof dcAuditEventSchema>;
export type DcAuditType = z.infer<typeof dcAuditTypeSchema>;
export type DcAuditPage = z.infer<typeof dcAuditPageSchema>;
