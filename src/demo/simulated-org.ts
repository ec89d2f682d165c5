/**
 * A small, deterministic simulated organization: the kinds of events a security team
 * watches (logins from several countries, failed logins, API tokens, group changes,
 * policy updates, app installs), in the events-stream API's shape.
 */
export const DEMO_ORG_ID = 'demo-org-0000-4000-8000-000000000001';

interface Person {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly ip: string;
  readonly city: string;
  readonly region: string;
  readonly country: string;
  readonly geo: string;
}

const PEOPLE: readonly Person[] = [
  { id: '712020:1f0c2a6e-0b1d-4d7a-9a51-2c3e4f5a6b7c', name: 'Alice Johnson', email: 'alice@acme.example', ip: '198.51.100.10', city: 'Seattle', region: 'Washington', country: 'United States', geo: 'NA' },
  { id: '712020:2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'Bruno Costa', email: 'bruno@acme.example', ip: '203.0.113.24', city: 'São Paulo', region: 'São Paulo', country: 'Brazil', geo: 'SA' },
  { id: '712020:3b2c4d5e-6f70-4b8c-9dae-1f2a3b4c5d6e', name: 'Chiara Rossi', email: 'chiara@acme.example', ip: '192.0.2.77', city: 'Milan', region: 'Lombardy', country: 'Italy', geo: 'EU' },
  { id: '712020:4c3d5e6f-7081-4c9d-aebf-2a3b4c5d6e7f', name: 'Daiki Sato', email: 'daiki@acme.example', ip: '198.51.100.200', city: 'Tokyo', region: 'Tokyo', country: 'Japan', geo: 'APAC' },
];
const STRANGER = { id: '712020:ffffffff-0000-4000-8000-00000000dead', name: 'Alice Johnson', email: 'alice@acme.example', ip: '203.0.113.250', city: 'Lagos', region: 'Lagos', country: 'Nigeria', geo: 'EMEA' };
const SITE = { id: 'b6f0c1d2-0000-4000-8000-00000000a1e5', type: 'sites', attributes: { siteName: 'acme', siteHostName: 'https://acme.atlassian.net' } };
const ORG = { id: DEMO_ORG_ID, type: 'orgs', attributes: { name: 'Acme Corp' } };

type Step = { readonly actor: Person; readonly action: string; readonly message: string; readonly context?: unknown[]; readonly container?: unknown[]; readonly auth?: unknown };

const SCRIPT: readonly Step[] = [
  { actor: PEOPLE[0]!, action: 'user_login', message: 'Alice Johnson logged in' },
  { actor: PEOPLE[1]!, action: 'user_login', message: 'Bruno Costa logged in' },
  { actor: STRANGER, action: 'user_login_failed', message: 'Alice Johnson failed to log in' },
  { actor: STRANGER, action: 'user_login_failed', message: 'Alice Johnson failed to log in' },
  { actor: PEOPLE[2]!, action: 'user_login', message: 'Chiara Rossi logged in' },
  { actor: PEOPLE[0]!, action: 'api_token_created', message: 'Alice Johnson created an API token', auth: { authType: 'session', tokenId: 'tok-7f3a', tokenLabel: 'ci-deploy' } },
  { actor: PEOPLE[2]!, action: 'group_member_added', message: 'Chiara Rossi added Daiki Sato to site-admins', context: [{ id: 'grp-site-admins', type: 'groups', attributes: { name: 'site-admins' } }], container: [ORG] },
  { actor: PEOPLE[3]!, action: 'user_login', message: 'Daiki Sato logged in' },
  { actor: PEOPLE[0]!, action: 'org_settings_update', message: 'Alice Johnson updated AuthenticationPolicy setting values enforceTwoStepVerification', container: [{ ...ORG, attributes: { name: 'Acme Corp', settingName: 'AuthenticationPolicy', settingValues: 'enforceTwoStepVerification' } }] },
  { actor: PEOPLE[3]!, action: 'data_classification_policy_update', message: 'Daiki Sato updated data classification policy', container: [ORG] },
  { actor: PEOPLE[1]!, action: 'marketplace_app_installed', message: 'Bruno Costa installed Timesheets Pro', context: [{ id: 'app-timesheets-pro', type: 'apps', attributes: { name: 'Timesheets Pro', vendor: 'Example Vendor' } }], container: [SITE] },
  { actor: PEOPLE[2]!, action: 'group_member_removed', message: 'Chiara Rossi removed Bruno Costa from jira-admins', context: [{ id: 'grp-jira-admins', type: 'groups', attributes: { name: 'jira-admins' } }], container: [ORG] },
  { actor: PEOPLE[0]!, action: 'api_token_revoked', message: 'Alice Johnson revoked an API token', auth: { authType: 'session', tokenId: 'tok-7f3a', tokenLabel: 'ci-deploy' } },
  { actor: PEOPLE[3]!, action: 'user_logout', message: 'Daiki Sato logged out' },
];

/** `count` events, one a minute up to `endMs`, cycling through the script. */
export function simulatedOrgEvents(count: number, endMs: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const step = SCRIPT[i % SCRIPT.length]!;
    const time = endMs - (count - i) * 60_000;
    const a = step.actor;
    events.push({
      type: 'events',
      id: `de000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      attributes: {
        time: new Date(time).toISOString(),
        processedAt: new Date(time + 850).toISOString(),
        action: step.action,
        actor: { id: a.id, name: a.name, email: a.email, ...(step.auth ? { auth: step.auth } : {}) },
        ...(step.context ? { context: step.context } : {}),
        ...(step.container ? { container: step.container } : {}),
        location: { ip: a.ip, geo: a.geo, countryName: a.country, regionName: a.region, city: a.city },
      },
      message: { content: step.message, format: 'simple' },
    });
  }
  return events;
}
