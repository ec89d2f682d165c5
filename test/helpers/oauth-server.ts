// A fake Atlassian authorization server (auth.atlassian.com) on loopback: the OAuth 2.0
// token endpoint for the refresh_token grant (3LO, with rotating refresh tokens) and the
// client_credentials grant (service accounts), plus the data behind
// api.atlassian.com/oauth/token/accessible-resources, which the product test servers serve.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CancellableDelays, closeServer, listenOnLoopback, readBody } from './http-server-utils.js';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The refresh token a user's consent produced (3LO); omit for a service-account client. */
  refreshToken?: string;
}

export interface AccessibleResource {
  id: string;
  url: string;
  name: string;
  scopes: string[];
}

export interface OAuthServerOptions {
  clients: OAuthClient[];
  /** expires_in of issued access tokens, seconds. Default 3600. */
  accessTokenTtlS?: number;
  /** Issue a new refresh token on every refresh and retire the old one at once. Default true. */
  rotate?: boolean;
  /** What accessible-resources lists for any valid token. */
  resources?: AccessibleResource[];
}

export interface TokenRequest {
  grantType: string;
  clientId: string;
  contentType: string;
  status: number;
  /** The refresh token presented, for rotation assertions. */
  refreshToken?: string;
}

export type OAuthFault = { status: number; body?: string } | { hangMs: number };

export interface OAuthServer {
  readonly url: string;
  /** POST here: `${url}/oauth/token`. */
  readonly tokenUrl: string;
  readonly requests: TokenRequest[];
  resources: AccessibleResource[];
  /** The one refresh token currently valid for a 3LO client. */
  currentRefreshToken(clientId: string): string | undefined;
  /** A user consented again: this refresh token is now the valid one. */
  grantRefreshToken(clientId: string, refreshToken: string): void;
  isValidAccessToken(token: string): boolean;
  /** Server-side expiry: every access token issued so far stops working now. */
  expireAccessTokens(): void;
  enqueue(...faults: OAuthFault[]): void;
  close(): Promise<void>;
}

export async function startOAuthServer(options: OAuthServerOptions): Promise<OAuthServer> {
  const ttlS = options.accessTokenTtlS ?? 3_600;
  const rotate = options.rotate ?? true;
  const refreshTokens = new Map<string, string>(); // clientId -> valid refresh token
  for (const c of options.clients) if (c.refreshToken) refreshTokens.set(c.clientId, c.refreshToken);
  const accessTokens = new Set<string>();
  const requests: TokenRequest[] = [];
  const queue: OAuthFault[] = [];
  const delays = new CancellableDelays();

  function reply(res: ServerResponse, entry: TokenRequest, status: number, body: unknown): void {
    entry.status = status;
    res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const params = parseBody(raw, contentType);
    const entry: TokenRequest = { grantType: params['grant_type'] ?? '', clientId: params['client_id'] ?? '', contentType, status: 0 };
    if (params['refresh_token'] !== undefined) entry.refreshToken = params['refresh_token'];
    requests.push(entry);
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/oauth/token') return reply(res, entry, 404, { error: 'not_found' });
    const fault = queue.shift();
    if (fault && 'hangMs' in fault) await delays.wait(fault.hangMs);
    if (fault && 'status' in fault) return reply(res, entry, fault.status, fault.body ?? { error: 'scripted' });
    const client = options.clients.find((c) => c.clientId === entry.clientId && c.clientSecret === params['client_secret']);
    if (!client) return reply(res, entry, 401, { error: 'access_denied', error_description: 'Unauthorized' });
    if (entry.grantType === 'client_credentials') return reply(res, entry, 200, issue(undefined));
    if (entry.grantType !== 'refresh_token') return reply(res, entry, 400, { error: 'unsupported_grant_type' });
    const current = refreshTokens.get(client.clientId);
    if (!current || params['refresh_token'] !== current) {
      return reply(res, entry, 403, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    }
    let next: string | undefined;
    if (rotate) {
      next = `rt-${randomBytes(12).toString('hex')}`;
      refreshTokens.set(client.clientId, next);
    }
    return reply(res, entry, 200, issue(next));
  }

  function issue(refreshToken: string | undefined): Record<string, unknown> {
    const token = `at-${randomBytes(12).toString('hex')}`;
    accessTokens.add(token);
    return { access_token: token, token_type: 'Bearer', expires_in: ttlS, scope: 'read:audit-log:jira read:audit-log:confluence offline_access', ...(refreshToken ? { refresh_token: refreshToken } : {}) };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    tokenUrl: `${url}/oauth/token`,
    requests,
    resources: options.resources ?? [],
    currentRefreshToken: (clientId) => refreshTokens.get(clientId),
    grantRefreshToken: (clientId, refreshToken) => void refreshTokens.set(clientId, refreshToken),
    isValidAccessToken: (token) => accessTokens.has(token),
    expireAccessTokens: () => accessTokens.clear(),
    enqueue: (...faults) => void queue.push(...faults),
    close: () => closeServer(server, delays),
  };
}

/** Atlassian documents JSON bodies; RFC 6749 says form-encoded. Accept both. */
function parseBody(raw: string, contentType: string): Record<string, string> {
  if (contentType === 'application/json') {
    try {
      const json = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(json).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
