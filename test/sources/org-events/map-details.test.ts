import { describe, expect, it } from 'vitest';
import { Severity } from '../../../src/pipeline/audit-log-record.js';
import { classifyActor, mapOrgEvent } from '../../../src/sources/org-events/map.js';
import { orgEventPageSchema } from '../../../src/sources/org-events/schema.js';

const CTX = { orgId: 'org-1', sourceName: 'org-events', observedMs: 1_700_000_000_000 };

function event(attributes: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'evt-1', type: 'events', attributes: { time: '2026-05-19T10:00:00.000Z', ...attributes }, ...extra };
}

describe('mapOrgEvent details', () => {
  it('falls back to observedMs for an unparseable time without a schema error', () => {
    const record = mapOrgEvent(event({ time: 'yesterday-ish', action: 'user_login' }), CTX);
    expect(record.timeMs).toBe(CTX.observedMs);
    expect(record.attributes['atlassian.receiver.schema_error']).toBeUndefined();
  });

  it('reports a missing time as a schema error and still salvages id and action', () => {
    const raw = { id: 'evt-2', attributes: { action: 'user_login_failed' } };
    const record = mapOrgEvent(raw, CTX);
    expect(record.timeMs).toBe(CTX.observedMs);
    expect(record.attributes['atlassian.receiver.schema_error']).toContain('attributes.time');
    expect(record.uid).toBe('org-1:evt-2');
    expect(record.attributes['atlassian.event.outcome']).toBe('failure');
    expect(record.severity).toBe(Severity.WARN);
    expect(record.body).toBe(raw);
  });

  it('derives a content hash uid, independent of key order, when the id is missing', () => {
    const a = mapOrgEvent({ attributes: { time: 't', action: 'x' }, type: 'events' }, CTX);
    const b = mapOrgEvent({ type: 'events', attributes: { action: 'x', time: 't' } }, CTX);
    expect(a.uid).toMatch(/^org-1:sha256:[0-9a-f]{64}$/);
    expect(b.uid).toBe(a.uid);
    expect(mapOrgEvent({ type: 'other' }, CTX).uid).not.toBe(a.uid);
  });

  it('truncates long schema error reasons', () => {
    const raw = { attributes: { context: Array.from({ length: 50 }, () => 1) } };
    const error = mapOrgEvent(raw, CTX).attributes['atlassian.receiver.schema_error'] as string;
    expect(error.length).toBeLessThanOrEqual(300);
  });

  it('accepts nulls for optional fields and keeps unknown keys in the body', () => {
    const raw = event({ actor: { id: 'abc', name: null, picture: null }, location: null, newField: 1 });
    const record = mapOrgEvent(raw, CTX);
    expect(record.attributes['atlassian.receiver.schema_error']).toBeUndefined();
    expect(record.attributes['atlassian.actor.app.name']).toBeUndefined();
    expect(record.body).toBe(raw);
  });

  it('drops empty location strings and adds the ISO code for known countries', () => {
    const location = { ip: '', city: '', countryName: 'United States', regionName: 'California', geo: 'NA' };
    const a = mapOrgEvent(event({ location }), CTX).attributes;
    expect(a['client.address']).toBeUndefined();
    expect(a['geo.locality.name']).toBeUndefined();
    expect(a['geo.country.iso_code']).toBe('US');
    expect(a['atlassian.location.region_name']).toBe('California');
    expect(a['atlassian.location.geo']).toBe('NA');
  });

  it('maps auth, on-behalf-of and app-assisted user actors', () => {
    const actor = {
      id: '5b10ac8d82e05b22cc7d4ef5',
      email: 'bot@example.com',
      auth: { authType: 'api-token', tokenId: 'tok-1', tokenLabel: 'CI' },
      onBehalfOf: { id: '712020:abc', name: 'Ann', email: 'ann@example.com' },
      app: { id: 'app-9', type: 'connect' },
    };
    const a = mapOrgEvent(event({ actor }), CTX).attributes;
    expect(a).toMatchObject({
      'atlassian.actor.type': 'user',
      'user.id': actor.id,
      'user.email': 'bot@example.com',
      'atlassian.actor.auth.type': 'api-token',
      'atlassian.actor.auth.token_id': 'tok-1',
      'atlassian.actor.auth.token_label': 'CI',
      'atlassian.actor.on_behalf_of.id': '712020:abc',
      'atlassian.actor.on_behalf_of.name': 'Ann',
      'atlassian.actor.on_behalf_of.email': 'ann@example.com',
      'atlassian.actor.app.id': 'app-9',
      'atlassian.actor.app.type': 'connect',
    });
    expect(a['user.full_name']).toBeUndefined();
  });

  it('flattens context/container into ids, types and names, and leaves them out when empty', () => {
    const none = mapOrgEvent(event({}), CTX).attributes;
    const empty = mapOrgEvent(event({ context: [], container: [] }), CTX).attributes;
    for (const a of [none, empty]) {
      expect(Object.keys(a).filter((k) => k.startsWith('atlassian.audit.conte') || k.startsWith('atlassian.audit.container'))).toEqual([]);
    }
    const a = mapOrgEvent(event({
      container: [
        { id: 'site-1', type: 'sites', attributes: { siteName: 'acme', cloudUrl: 'acme.atlassian.net' } },
        { id: 'org-1', type: 'orgs', attributes: { name: 'Acme Corp' } },
        { id: 'site-2', type: 'sites', attributes: { cloudUrl: 'beta.atlassian.net' } },
      ],
      context: [{ id: 'grp-1', type: 'groups', attributes: {} }, { type: 'apps', attributes: { displayName: 'Slack' } }],
    }), CTX).attributes;
    expect(a['atlassian.audit.container.ids']).toEqual(['site-1', 'org-1', 'site-2']);
    expect(a['atlassian.audit.container.types']).toEqual(['sites', 'orgs']);
    expect(a['atlassian.audit.container.names']).toEqual(['acme', 'Acme Corp', 'beta.atlassian.net']);
    expect(a['atlassian.audit.context.ids']).toEqual(['grp-1']);
    expect(a['atlassian.audit.context.types']).toEqual(['groups', 'apps']);
    expect(a['atlassian.audit.context.names']).toEqual(['Slack']);
    expect(a['atlassian.audit.container']).toBeUndefined();
  });
});

describe('classifyActor', () => {
  it.each([
    [{ id: '712020:aaaa', name: 'Alice' }, 'user'],
    [{ id: 'c0ffee00-0000-4000-8000-000000000000' }, 'user'],
    [{ id: 'whatever', email: 'x@example.com' }, 'user'],
    [{ id: 'system', name: 'Atlassian' }, 'system'],
    [{ id: 'anything', name: 'System' }, 'system'],
    [{ id: 'confluence', name: 'Confluence', email: 'Atlassian app' }, 'app'],
    [{ name: 'Nobody' }, undefined],
  ])('%j -> %s', (actor, type) => {
    expect(classifyActor(actor)).toBe(type);
  });
});

describe('orgEventPageSchema', () => {
  it('accepts a page whose elements are malformed, leaving them to per-record mapping', () => {
    const page = { data: [1, 'x', { id: 2 }], links: { self: '/a', next: '/b' }, meta: { next: null, page_size: 3 } };
    expect(orgEventPageSchema.safeParse(page).success).toBe(true);
  });

  it('rejects a page without a data array', () => {
    expect(orgEventPageSchema.safeParse({ meta: {} }).success).toBe(false);
    expect(orgEventPageSchema.safeParse({ data: {} }).success).toBe(false);
  });
});
