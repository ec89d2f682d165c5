// Synthetic Organizations audit events (events-stream `PollingEventModel` shape), generated
// from the event index alone so the fake API, the floor measurement and the verification
// pass all see the same bytes without holding a backlog in memory.
//
// Each event is one of a few realistic variants (logins from several places, a failed
// login, API tokens, group and permission changes, policy updates, an app install), about
// 0.7-1.1 KB of JSON each (850 bytes on average), like the real API's events.

const ORG_ID = 'bench-org-0000-0000-0000-000000000001';

const PEOPLE = [
  { id: '712020:1f0e3dad-9990-4a51-8d7c-1f2a3b4c5d6e', name: 'Alice Johnson', email: 'alice.johnson@example.com' },
  { id: '712020:2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'Bob Smith', email: 'bob.smith@example.com' },
  { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Carol Davis', email: 'carol.davis@example.com' },
];

// Documentation address ranges only (RFC 5737 / RFC 3849).
const PLACES = [
  { ip: '198.51.100.23', geo: 'AU', countryName: 'Australia', regionName: 'New South Wales', city: 'Sydney' },
  { ip: '203.0.113.140', geo: 'DE', countryName: 'Germany', regionName: 'Berlin', city: 'Berlin' },
  { ip: '192.0.2.77', geo: 'US', countryName: 'United States', regionName: 'Texas', city: 'Austin' },
  { ip: '2001:db8:85a3::8a2e:370:7334', geo: 'JP', countryName: 'Japan', regionName: 'Tokyo', city: 'Tokyo' },
];

const ORG_CONTAINER = [{ id: ORG_ID, type: 'orgs', attributes: { name: 'Example Corporation' } }];
const SITE = { id: 'a1b2c3d4-0000-4000-8000-00000000aaaa', type: 'sites', attributes: { siteName: 'example-corp' } };

function actor(p, extra = {}) {
  return { id: p.id, name: p.name, email: p.email, ...extra };
}

/** `__X__` tokens are replaced per event; everything else is fixed per variant. */
const VARIANTS = [
  (k) => ({ action: 'user_login', actor: actor(PEOPLE[k % 3], { auth: { authType: 'session' } }), location: PLACES[k % 4], context: [], container: ORG_CONTAINER, message: 'User logged in' }),
  (k) => ({ action: 'user_login_failed', actor: actor(PEOPLE[(k + 1) % 3]), location: PLACES[(k + 2) % 4], context: [], container: ORG_CONTAINER, message: 'User login failed: incorrect password' }),
  (k) => ({
    action: 'api_token_created',
    actor: actor(PEOPLE[k % 3], { auth: { authType: 'session' } }),
    location: PLACES[k % 4],
    context: [{ id: 'token-__N__', type: 'api-tokens', attributes: { label: 'CI deploy token', expiresAt: '__TIME__' } }],
    container: ORG_CONTAINER,
    message: 'API token created',
  }),
  (k) => ({
    action: 'user_added_to_group',
    actor: actor(PEOPLE[(k + 2) % 3]),
    location: PLACES[(k + 1) % 4],
    context: [
      { id: 'group-__N__', type: 'groups', attributes: { name: 'jira-software-users' } },
      { id: PEOPLE[k % 3].id, type: 'users', attributes: { name: PEOPLE[k % 3].name, email: PEOPLE[k % 3].email } },
    ],
    container: [...ORG_CONTAINER, SITE],
    message: 'User added to group jira-software-users',
  }),
  (k) => ({
    action: 'confluence_added_space_permission',
    actor: actor(PEOPLE[k % 3]),
    location: PLACES[(k + 3) % 4],
    context: [{ id: 'space-__N__', type: 'confluence-spaces', attributes: { key: 'ENG', name: 'Engineering', permission: 'read' } }],
    container: [SITE],
    message: 'Space permission added',
  }),
  (k) => ({
    action: 'policy_updated',
    actor: actor(PEOPLE[(k + 1) % 3]),
    location: PLACES[k % 4],
    context: [{ id: 'policy-0001', type: 'authentication-policies', attributes: { name: 'Enforce SSO', enforceTwoStepVerification: true, sessionDurationMinutes: 720 } }],
    container: ORG_CONTAINER,
    message: 'Authentication policy updated',
  }),
  () => ({
    action: 'app_installed',
    actor: { id: 'jira-service-management', name: 'Jira Service Management', email: 'Atlassian app', links: {} },
    context: [{ id: 'app-__N__', type: 'apps', attributes: { name: 'Example Marketplace App', vendor: 'Example Vendor', version: '4.2.1' } }],
    container: [SITE],
    message: 'App installed',
  }),
];

function template(variant) {
  const event = {
    id: '__ID__',
    type: 'events',
    attributes: {
      time: '__TIME__',
      processedAt: '__PAT__',
      action: variant.action,
      actor: variant.actor,
      ...(variant.location ? { location: variant.location } : {}),
      context: variant.context,
      container: variant.container,
    },
    links: { self: `https://api.atlassian.com/admin/v1/orgs/${ORG_ID}/events/__ID__` },
    message: { content: variant.message, format: 'simple' },
  };
  // Split once into literal parts and token names, so generating an event is a string join.
  const parts = JSON.stringify(event).split(/__(ID|TIME|PAT|N)__/);
  return parts;
}

const TEMPLATES = [];
for (let k = 0; k < 12; k++) for (const v of VARIANTS) TEMPLATES.push(template(v(k)));

export const orgId = ORG_ID;

/** Generates events [0, total) with processedAt = baseMs + i * stepMs (strictly increasing). */
export class OrgBacklog {
  constructor({ total, baseMs, stepMs = 1 }) {
    this.total = total;
    this.baseMs = baseMs;
    this.stepMs = stepMs;
  }

  id(i) {
    return `0b0e0000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  }

  uid(i) {
    return `${ORG_ID}:${this.id(i)}`;
  }

  processedAtMs(i) {
    return this.baseMs + i * this.stepMs;
  }

  /** One event as JSON text. */
  event(i) {
    const parts = TEMPLATES[i % TEMPLATES.length];
    const processed = this.processedAtMs(i);
    const values = {
      ID: this.id(i),
      PAT: new Date(processed).toISOString(),
      TIME: new Date(processed - 200 - ((i * 37) % 900)).toISOString(),
      N: String(i),
    };
    let out = parts[0];
    for (let p = 1; p < parts.length; p += 2) out += values[parts[p]] + parts[p + 1];
    return out;
  }

  /** First index with processedAt >= fromMs. */
  firstAtOrAfter(fromMs) {
    return Math.min(this.total, Math.max(0, Math.ceil((fromMs - this.baseMs) / this.stepMs)));
  }

  /** One past the last index with processedAt <= toMs. */
  endAtOrBefore(toMs) {
    return Math.min(this.total, Math.max(0, Math.floor((toMs - this.baseMs) / this.stepMs) + 1));
  }

  /**
   * An events-stream page body for events [start, min(start+limit, end)).
   * Like the real API (and the test server), a non-empty page always carries a cursor,
   * so a walk ends with one empty page.
   */
  page(start, end, limit, pageUrl) {
    const stop = Math.min(end, start + limit);
    const events = [];
    for (let i = start; i < stop; i++) events.push(this.event(i));
    const next = stop > start ? `c${stop.toString(36)}.${end.toString(36)}` : null;
    const links = next ? `{"next":${JSON.stringify(`${pageUrl}?cursor=${next}`)}}` : '{}';
    return { body: `{"data":[${events.join(',')}],"links":${links},"meta":{"next":${JSON.stringify(next)},"page_size":${limit}}}`, count: stop - start };
  }

  static decodeCursor(cursor) {
    const m = /^c([0-9a-z]+)\.([0-9a-z]+)$/.exec(cursor);
    return m ? { start: parseInt(m[1], 36), end: parseInt(m[2], 36) } : undefined;
  }
}
