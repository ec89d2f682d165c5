import * as z from '../../util/zod.js';
import { authConfigSchema } from '../../auth/config.js';
import { DURATION_RANGES } from '../../config/duration-ranges.js';
import { duration, httpUrl } from '../../config/fields.js';
import { sourceTlsSchema } from '../../config/tls-files.js';

/** A site root such as https://acme.atlassian.net: the product paths are appended to it. */
export const siteUrl = () =>
  httpUrl().superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return; // httpUrl() already said why
    }
    if (url.pathname !== '/' && url.pathname !== '') ctx.addIssue({ code: 'custom', message: 'must be the site root without a path, e.g. https://acme.atlassian.net (not …/wiki)' });
    else if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'must not have a query or fragment' });
  });

const pageSize = (max: number) =>
  z
    .int({ error: `must be a whole number from 1 to ${max}` })
    .min(1, { error: `must be from 1 to ${max}` })
    .max(max, { error: `must be from 1 to ${max} (the API maximum)` })
    .default(max);

/**
 * Keys shared by the product audit sources that poll a newest-first, time-filtered API
 * (Jira and Confluence): the same meaning and defaults in both, only the page maximum differs.
 */
export function windowedSourceShape(maxPageSize: number) {
  return {
    name: z.string({ error: 'name is required' }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
      error: 'must be 1-64 letters, digits, dot, dash or underscore (it names the checkpoint file)',
    }),
    site: siteUrl(),
    auth: authConfigSchema,
    pollInterval: duration(DURATION_RANGES.pollInterval).default(300_000),
    initialLookback: duration(DURATION_RANGES.initialLookback).default(86_400_000),
    pageSize: pageSize(maxPageSize),
    /** Client-side ceiling per credential and path; Atlassian's limits are cost-based. 0 turns it off. */
    requestsPerMinute: z.int({ error: 'must be a whole number' }).min(0).max(10_000).default(60),
    retryDeadline: duration(DURATION_RANGES.retryDeadline).default(300_000),
    requestTimeout: duration(DURATION_RANGES.requestTimeout).default(30_000),
    /** Windows end this long before "now", so records still being written are not half-read. */
    settleDelay: duration(DURATION_RANGES.settleDelay).default(30_000),
    /** Each window re-reads this much before the last one ended, to catch records indexed late. */
    overlap: duration(DURATION_RANGES.overlap).default(600_000),
    /** A private CA (or a TLS-inspecting proxy's CA) for the site, API gateway and token endpoint. */
    tls: sourceTlsSchema,
  };
}
