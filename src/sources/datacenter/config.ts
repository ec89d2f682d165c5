import * as z from '../../util/zod.js';
import { isLoopbackHost, isoTime, secret } from '../../config/fields.js';
import { windowedSourceShape } from '../windowed/windowed-config.js';
import { DC_PRODUCTS } from './product.js';

/** The API's own ceiling for `limit` (Atlassian: "up to 100,000"); 1,000 keeps pages small. */
export const DC_MAX_PAGE_SIZE = 100_000;
export const DC_DEFAULT_PAGE_SIZE = 1_000;

export const dcProduct = z.enum(DC_PRODUCTS, { error: `must be one of: ${DC_PRODUCTS.join(', ')}` });

/** A personal access token (Jira 8.14+, Confluence 7.9+, Bitbucket 5.5+) or a username and password. */
export const dcAuthSchema = z.discriminatedUnion(
  'type',
  [
    // expiresAt: the token's (or password's) expiry, warned about ahead like every credential.
    z.strictObject({ type: z.literal('pat'), token: secret('token'), expiresAt: isoTime().optional() }),
    z.strictObject({ type: z.literal('basic'), username: z.string({ error: 'username is required' }).min(1, { error: 'username is empty' }), password: secret('password'), expiresAt: isoTime().optional() }),
  ],
  {
    // Never echo the input: a mistyped auth map may well hold a secret.
    error: (issue) => (issue.code === 'invalid_union' || issue.code === 'invalid_type' ? 'auth must be { type: pat, token } or { type: basic, username, password }' : undefined),
  },
);
export type DcAuthConfig = z.output<typeof dcAuthSchema>;

/**
 * The instance URL with any context path (https://acme.internal/jira). Data Center is often on
 * a private network with an internal CA: https with the system trust store plus
 * NODE_EXTRA_CA_CERTS. Plain http is refused for anything but loopback unless the source sets
 * `allowPlainHttp: true` (checked on the whole source, below), because the token travels in it.
 */
const baseUrl = () =>
  z.string({ error: 'baseUrl is required: the instance URL, e.g. https://jira.acme.internal' }).superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://jira.acme.internal' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not carry credentials; use auth' });
    else if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'must not have a query or fragment' });
  }).transform((text) => text.replace(/\/+$/, ''));

const { site: _site, auth: _auth, pageSize: _pageSize, ...shared } = windowedSourceShape(DC_MAX_PAGE_SIZE);

/** `type: datacenter-audit`: `GET {baseUrl}/rest/auditing/1.0/events` (Jira 8.8+, Confluence 7.5+, Bitbucket 7.0+). */
export const dcAuditConfigSchema = z
  .strictObject({
    type: z.literal('datacenter-audit'),
    ...shared,
    product: dcProduct,
    baseUrl: baseUrl(),
    auth: dcAuthSchema,
    pollInterval: shared.pollInterval.removeDefault().default(60_000),
    pageSize: z
      .int({ error: `must be a whole number from 1 to ${DC_MAX_PAGE_SIZE}` })
      .min(1, { error: `must be from 1 to ${DC_MAX_PAGE_SIZE}` })
      .max(DC_MAX_PAGE_SIZE, { error: `must be from 1 to ${DC_MAX_PAGE_SIZE} (the API maximum)` })
      .default(DC_DEFAULT_PAGE_SIZE),
    /** Opt-in for http:// to a non-loopback host (README: "Plain http to Data Center"). */
    allowPlainHttp: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine((c, ctx) => {
    const url = URL.parse(c.baseUrl);
    if (url?.protocol === 'http:' && !isLoopbackHost(url.hostname) && !c.allowPlainHttp) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'plain http:// to a non-loopback host would send the credential unencrypted; use https:// (an internal CA works through NODE_EXTRA_CA_CERTS) or set allowPlainHttp: true',
      });
    }
  });

export type DcAuditConfig = z.output<typeof dcAuditConfigSchema>;
