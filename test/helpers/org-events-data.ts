// Event shapes of the Atlassian Organizations events-stream API (PollingEventModel
// in test/fixtures/atlassian-openapi/admin-organization-events.openapi.json),
// plus fixture loading and synthetic data for the fake server.
import { readdirSync, readFileSync } from 'node:fs';

export interface OrgEventObject {
  id: string;
  type?: string;
  attributes?: Record<string, unknown>;
  links?: Record<string, unknown>;
}

export interface OrgEventActor {
  id: string;
  name?: string;
  email?: string;
  auth?: { authType: string; tokenId?: string; tokenLabel?: string };
  [key: string]: unknown;
}

export interface OrgEventLocation {
  ip?: string;
  geo?: string;
  countryName?: string;
  regionName?: string;
  city?: string;
  [key: string]: unknown;
}

export interface OrgEvent {
  type: 'events';
  id: string;
  attributes: {
    /** ISO-8601 time of the action. */
    time: string;
    /** ISO-8601 time Atlassian processed it; the stream is ordered and filtered by this. */
    processedAt: string;
    action: string;
    actor: OrgEventActor;
    location?: OrgEventLocation;
    context?: OrgEventObject[];
    container?: OrgEventObject[];
    [key: string]: unknown;
  };
  message?: { content?: string; format?: string };
  links?: { self?: string };
}

const ORG_EVENT_DIR = new URL('../fixtures/org-events/elastic/', import.meta.url);
const MOCK_PAGES = new URL('../fixtures/atlassian-samples/org-events-stream.pages.elastic-mock.json', import.meta.url);

/**
 * The 10 single events of the Elastic pipeline tests followed by those of the
 * Elastic mock-server pages, deduplicated by id (first occurrence wins, so the
 * pipeline-test version of a1000001/a1000002/a1000005 is kept).
 */
export function fixtureEvents(): OrgEvent[] {
  const fromLogs = readdirSync(ORG_EVENT_DIR)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .flatMap((name) => jsonLines(readFileSync(new URL(name, ORG_EVENT_DIR), 'utf8')));
  const pages = JSON.parse(readFileSync(MOCK_PAGES, 'utf8')) as Record<string, { data?: unknown[] }>;
  const fromPages = Object.entries(pages)
    .filter(([key]) => key !== '_provenance')
    .flatMap(([, page]) => page.data ?? []);

  const byId = new Map<string, OrgEvent>();
  for (const candidate of [...fromLogs, ...fromPages]) {
    if (!isOrgEvent(candidate)) throw new Error(`fixture is not an org event: ${JSON.stringify(candidate).slice(0, 200)}`);
    if (!byId.has(candidate.id)) byId.set(candidate.id, candidate);
  }
  return [...byId.values()];
}

function jsonLines(text: string): unknown[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

export function isOrgEvent(value: unknown): value is OrgEvent {
  const v = value as Partial<OrgEvent> | null;
  const attrs = v?.attributes;
  return (
    typeof v === 'object' && v !== null && v.type === 'events' && typeof v.id === 'string' &&
    typeof attrs === 'object' && attrs !== null &&
    typeof attrs.time === 'string' && typeof attrs.processedAt === 'string' && typeof attrs.action === 'string' &&
    typeof attrs.actor === 'object' && attrs.actor !== null && typeof attrs.actor.id === 'string'
  );
}

const ACTIONS = [
  'user_login',
  'organization_users_viewed',
  'api_token_created',
  'user_login_failed',
  'confluence_added_space_permission',
  'org_settings_update',
  'user_invitation_sent',
] as const;

const ACTORS: OrgEventActor[] = [
  { id: '712020:aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa', name: 'Alice Johnson', email: 'alice.johnson@example.com' },
  { id: '712020:bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb', name: 'Bob Smith', email: 'bob.smith@example.com' },
  { id: '712020:cccccccc-cccc-cccc-cccc-cccccccccccc', name: 'Carol Davis', email: 'carol.davis@example.com' },
  { id: 'confluence', name: 'Confluence', email: 'Atlassian app' },
];

// Documentation address ranges only (RFC 5737 / RFC 3849).
const LOCATIONS: OrgEventLocation[] = [
  { ip: '198.51.100.10', countryName: 'Australia', regionName: 'New South Wales', city: 'Sydney' },
  { ip: '203.0.113.7', countryName: 'Germany', city: 'Berlin' },
  { ip: '192.0.2.44', countryName: 'United States', regionName: 'Texas', city: 'Austin' },
  { ip: '2001:db8::1f', countryName: 'Japan', city: 'Tokyo' },
  { geo: 'EU' },
];

/**
 * n deterministic synthetic events: processedAt = startMs + i * stepMs (strictly
 * increasing), ids unique per (startMs, i), a handful of actions/actors/IPs.
 */
export function generateEvents(n: number, startMs: number, stepMs = 1000): OrgEvent[] {
  const idPrefix = startMs.toString(16).padStart(12, '0').slice(-12);
  return Array.from({ length: n }, (_, i) => {
    const processedMs = startMs + i * stepMs;
    const action = ACTIONS[i % ACTIONS.length] ?? 'user_login';
    const actor = { ...(ACTORS[i % ACTORS.length] ?? { id: 'unknown' }) };
    if (action === 'api_token_created') actor.auth = { authType: 'api-token', tokenId: `token-${i}`, tokenLabel: 'CI token' };
    const event: OrgEvent = {
      type: 'events',
      id: `${idPrefix.slice(0, 8)}-${idPrefix.slice(8)}-4000-8000-${i.toString(16).padStart(12, '0')}`,
      attributes: {
        time: new Date(processedMs - 150 - ((i * 53) % 800)).toISOString(),
        processedAt: new Date(processedMs).toISOString(),
        action,
        actor,
        location: { ...(LOCATIONS[i % LOCATIONS.length] ?? {}) },
        context: i % 3 === 0 ? [{ id: `site-${i % 5}`, type: 'sites', attributes: { siteName: `example-${i % 5}` } }] : [],
      },
      message: { content: `${actor.name ?? actor.id} performed ${action}`, format: 'simple' },
    };
    if (i % 4 === 0) {
      event.attributes.container = [{ id: '00000000-0000-0000-0000-000000000001', type: 'orgs', attributes: { name: 'Example Corp' } }];
    }
    return event;
  });
}
