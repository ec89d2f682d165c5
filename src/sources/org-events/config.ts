import * as z from '../../util/zod.js';
import { DURATION_RANGES } from '../../config/duration-ranges.js';
import { duration, httpUrl, isoTime, secret } from '../../config/fields.js';
import { sourceTlsSchema } from '../../config/tls-files.js';

/**
 * `type: org-events`: the Organizations audit log.
 * Limits from Atlassian's docs (developer.atlassian.com/cloud/admin/organization/rest):
 * events-stream pages hold 1..500 events; 50 requests/min per path.
 */
export const orgEventsConfigSchema = z.strictObject({
  name: z.string({ error: 'name is required' }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: 'must be 1-64 letters, digits, dot, dash or underscore (it names the checkpoint file)',
  }),
  type: z.literal('org-events'),
  orgId: z.string({ error: 'orgId is required' }).regex(/^[A-Za-z0-9-]+$/, { error: 'must be the organization id (letters, digits, dashes)' }),
  apiKey: secret('apiKey'),
  /** When the API key expires (shown when it is created; one year at most): warned about ahead. */
  apiKeyExpiresAt: isoTime().optional(),
  baseUrl: httpUrl().default('https://api.atlassian.com'),
  pollInterval: duration(DURATION_RANGES.pollInterval).default(60_000),
  initialLookback: duration(DURATION_RANGES.initialLookback).default(86_400_000),
  pageSize: z.int({ error: 'must be a whole number from 1 to 500' }).min(1, { error: 'must be from 1 to 500' }).max(500, { error: 'must be from 1 to 500 (the API maximum)' }).default(500),
  /** Client-side ceiling; Atlassian documents 50/min for events-stream. 0 turns it off (tests, proxies). */
  requestsPerMinute: z.int({ error: 'must be a whole number' }).min(0).max(10_000).default(50),
  /** How long one request may keep failing transiently (5xx, 429, timeouts) before the poll gives up. */
  retryDeadline: duration(DURATION_RANGES.retryDeadline).default(300_000),
  requestTimeout: duration(DURATION_RANGES.requestTimeout).default(30_000),
  /** A private CA (or a TLS-inspecting proxy's CA) for this source's HTTPS requests. */
  tls: sourceTlsSchema,
});

export type OrgEventsConfig = z.output<typeof orgEventsConfigSchema>;
