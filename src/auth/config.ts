import * as z from '../util/zod.js';
import { httpUrl, isoTime, secret } from '../config/fields.js';

/**
 * `auth:` of the Jira and Confluence audit sources: one map per source, chosen by `type`.
 * Defaults are Atlassian's production endpoints; `tokenUrl`/`apiBaseUrl` exist for proxies and tests.
 */
export const AUTH_TYPES = ['basic', 'scoped-token', 'oauth2', 'client-credentials'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const DEFAULT_API_BASE_URL = 'https://api.atlassian.com';
export const DEFAULT_TOKEN_URL = 'https://auth.atlassian.com/oauth/token';

// Loose on purpose: service-account addresses (…@serviceaccount.atlassian.com) and IdP aliases vary.
const email = z
  .string({ error: 'email is required' })
  .regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be the email address of the Atlassian account the token belongs to' });

const cloudId = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be the site\'s cloud id (a UUID, see https://<site>/_edge/tenant_info)' });

const clientId = z
  .string({ error: 'clientId is required' })
  .min(1, { error: 'clientId is empty' })
  .max(256, { error: 'clientId is longer than 256 characters' });

/** When the credential expires, if known (tokens and service-account credentials have one): warned about ahead. */
const expiresAt = () => isoTime().optional();

const apiBaseUrl = () => httpUrl().default(DEFAULT_API_BASE_URL);
const tokenUrl = () => httpUrl().default(DEFAULT_TOKEN_URL);

/** Classic API token: `https://<site>/...` with HTTP Basic email:token. */
export const basicAuthSchema = z.strictObject({
  type: z.literal('basic'),
  email,
  apiToken: secret('apiToken'),
  expiresAt: expiresAt(),
});

/** Scoped API token or service-account API token: Basic email:token, but only via the API gateway. */
export const scopedTokenAuthSchema = z.strictObject({
  type: z.literal('scoped-token'),
  email,
  apiToken: secret('apiToken'),
  expiresAt: expiresAt(),
  cloudId: cloudId.optional(),
  apiBaseUrl: apiBaseUrl(),
});

/** OAuth 2.0 (3LO) app: client id/secret plus a rotating refresh token (needs the offline_access scope). */
export const oauth2AuthSchema = z.strictObject({
  type: z.literal('oauth2'),
  clientId,
  clientSecret: secret('clientSecret'),
  refreshToken: secret('refreshToken'),
  expiresAt: expiresAt(),
  tokenUrl: tokenUrl(),
  apiBaseUrl: apiBaseUrl(),
  cloudId: cloudId.optional(),
});

/** Service account OAuth 2.0 credential (client credentials grant). */
export const clientCredentialsAuthSchema = z.strictObject({
  type: z.literal('client-credentials'),
  clientId,
  clientSecret: secret('clientSecret'),
  expiresAt: expiresAt(),
  tokenUrl: tokenUrl(),
  apiBaseUrl: apiBaseUrl(),
  cloudId: cloudId.optional(),
});

const TYPE_LIST = AUTH_TYPES.join(', ');

export const authConfigSchema = z.discriminatedUnion(
  'type',
  [basicAuthSchema, scopedTokenAuthSchema, oauth2AuthSchema, clientCredentialsAuthSchema],
  {
    // Never echo the input: a mistyped auth map may well be a token pasted in the wrong place.
    error: (issue) => {
      if (issue.code === 'invalid_union') return `type must be one of: ${TYPE_LIST}`;
      if (issue.code === 'invalid_type') return `auth is required: a map with a type (one of: ${TYPE_LIST}) and its credentials`;
      return undefined;
    },
  },
);

export type BasicAuthConfig = z.output<typeof basicAuthSchema>;
export type ScopedTokenAuthConfig = z.output<typeof scopedTokenAuthSchema>;
export type OAuth2AuthConfig = z.output<typeof oauth2AuthSchema>;
export type ClientCredentialsAuthConfig = z.output<typeof clientCredentialsAuthSchema>;
export type AuthConfig = z.output<typeof authConfigSchema>;
/** The auth types that reach the product through `{apiBaseUrl}/ex/{product}/{cloudId}`. */
export type GatewayAuthConfig = ScopedTokenAuthConfig | OAuth2AuthConfig | ClientCredentialsAuthConfig;
