// A loopback Entra ID authority: the OAuth 2.0 token endpoint of the Microsoft identity
// platform (POST /{tenant}/oauth2/v2.0/token, client-credentials grant, client secret in the
// form body or as HTTP Basic). It issues opaque access tokens the Azure Monitor stand-in
// checks, so the Sentinel route's authentication is exercised end to end.
import { randomBytes } from 'node:crypto';
import { json, startIntake, type IntakeServer } from './intake-server.js';

export interface EntraAuthority extends IntakeServer {
  readonly issued: Set<string>;
  /** Token requests whose credentials or scope were wrong. */
  readonly refused: string[];
}

export async function startEntraAuthority(o: { tenantId: string; clientId: string; clientSecret: string; scope: string }): Promise<EntraAuthority> {
  const issued = new Set<string>();
  const refused: string[] = [];
  const server = await startIntake('entra', (req, path, body) => {
    if (req.method !== 'POST' || path !== `/${o.tenantId}/oauth2/v2.0/token`) {
      return json(404, { error: 'invalid_request', error_description: `AADSTS90002: no token endpoint at ${path}` });
    }
    const form = new URLSearchParams(body.toString('utf8'));
    let clientId = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = req.headers.authorization;
    if (basic?.startsWith('Basic ')) {
      const [id, pass] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':').map(decodeURIComponent);
      clientId = id ?? null;
      secret = pass ?? null;
    }
    const problem =
      form.get('grant_type') !== 'client_credentials' ? 'unsupported_grant_type'
        : clientId !== o.clientId || secret !== o.clientSecret ? 'invalid_client'
          : form.get('scope') !== o.scope ? 'invalid_scope' : undefined;
    if (problem) {
      refused.push(problem);
      return json(problem === 'invalid_client' ? 401 : 400, { error: problem, error_description: `AADSTS: ${problem}` });
    }
    const token = randomBytes(24).toString('base64url');
    issued.add(token);
    return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  });
  return Object.assign(server, { issued, refused });
}
