/**
 * Zod schemas for the Organizations audit log (`GET /admin/v1/orgs/{orgId}/events-stream`).
 *
 * Deliberately loose: Atlassian adds fields and actor shapes without notice (e.g. app actors
 * carry `email: "Atlassian app"`, `picture: null`), and an audit receiver must not lose an
 * event because of a cosmetic drift. Only `id` and `attributes.time` are required; unknown
 * keys are kept; `null` is accepted wherever a field is optional because JSON APIs use it
 * interchangeably with "absent".
 */
import * as z from '../../util/zod.js';

const optString = z.string().nullish();
/** Free-form `attributes` bags on context/container/app objects. */
const attributeBag = z.record(z.string(), z.unknown()).nullish();

export const eventObjectSchema = z.looseObject({
  id: optString,
  type: optString,
  attributes: attributeBag,
  links: z.unknown().optional(),
});

export const eventActorSchema = z.looseObject({
  id: optString,
  name: optString,
  // Not validated as an email: app actors put labels such as "Atlassian app" here.
  email: optString,
  auth: z
    .looseObject({
      // The spec lists an enum, but real payloads also carry e.g. "session".
      authType: optString,
      tokenId: optString,
      tokenLabel: optString,
    })
    .nullish(),
  onBehalfOf: z
    .looseObject({
      id: optString,
      name: optString,
      email: optString,
    })
    .nullish(),
  app: z
    .looseObject({
      id: optString,
      type: optString,
      attributes: attributeBag,
    })
    .nullish(),
  links: z.unknown().optional(),
});

export const eventLocationSchema = z.looseObject({
  ip: optString,
  /** Coarse, deprecated region label such as "NA" or "EU". */
  geo: optString,
  countryName: optString,
  regionName: optString,
  city: optString,
});

export const eventMessageSchema = z.looseObject({
  content: optString,
  format: optString,
});

export const orgEventSchema = z.looseObject({
  // Empty ids would collapse every such event onto one uid, so they count as missing.
  id: z.string().min(1),
  type: optString,
  attributes: z.looseObject({
    time: z.string(),
    processedAt: optString,
    action: optString,
    actor: eventActorSchema.nullish(),
    context: z.array(eventObjectSchema).nullish(),
    container: z.array(eventObjectSchema).nullish(),
    location: eventLocationSchema.nullish(),
  }),
  message: eventMessageSchema.nullish(),
  links: z.unknown().optional(),
});

/**
 * The page envelope. `data` stays `unknown[]` so each element is validated on its own and
 * one malformed event never rejects the whole page (and with it the cursor).
 */
export const orgEventPageSchema = z.looseObject({
  data: z.array(z.unknown()),
  links: z
    .looseObject({
      self: optString,
      next: optString,
      prev: optString,
    })
    .nullish(),
  meta: z
    .looseObject({
      next: optString,
      page_size: z.number().nullish(),
    })
    .nullish(),
});

export type OrgEventObject = z.infer<typeof eventObjectSchema>;
export type OrgEventActor = z.infer<typeof eventActorSchema>;
export type OrgEventLocation = z.infer<typeof eventLocationSchema>;
export type OrgEventMessage = z.infer<typeof eventMessageSchema>;
export type OrgEvent = z.infer<typeof orgEventSchema>;
export type OrgEventPage = z.infer<typeof orgEventPageSchema>;
