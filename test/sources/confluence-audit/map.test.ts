import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditLogRecord } from '../../../src/pipeline/audit-log-record.js';
import { confluenceFingerprint } from '../../../src/sources/confluence-audit/fingerprint.js';
import { CONFLUENCE_AUDIT_EVENT_NAME, mapConfluenceRecord } from '../../../src/sources/confluence-audit/map.js';
import { confluenceFixtureRecords, confluenceSampleRecords } from '../../helpers/confluence-audit-server.js';

const CTX = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', sourceName: 'acme-wiki', observedMs: 1_700_000_000_000 };
const records = confluenceFixtureRecords();
const sample = confluenceSampleRecords();

function stable(record: AuditLogRecord): Omit<AuditLogRecord, 'observedMs' | 'body'> {
  const { uid, timeMs, eventName, severity, attributes } = record;
  return { uid, timeMs, eventName, severity, attributes };
}

describe('mapConfluenceRecord over the Confluence Cloud fixtures', () => {
  const all = [...records, ...sample];
  const mapped = all.map((raw) => mapConfluenceRecord(raw, CTX));

  it('maps the 37 Elastic records and the sample page without a schema error', () => {
    expect(records).toHaveLength(37);
    expect(sample).toHaveLength(1);
    mapped.forEach((record, i) => {
      expect(record.attributes['atlassian.receiver.schema_error']).toBeUndefined();
      expect(record.body).toBe(all[i]);
      expect(record.eventName).toBe(CONFLUENCE_AUDIT_EVENT_NAME);
      expect(record.timeMs).toBe(all[i]!.creationDate);
    });
  });

  it('derives distinct fingerprint uids (records have no id)', () => {
    expect(new Set(mapped.map((r) => r.uid)).size).toBe(all.length);
    for (const record of mapped) {
      expect(record.uid).toMatch(/^acme\.atlassian\.net:[0-9a-f]{32}#0$/);
      expect(record.attributes['log.record.uid']).toBe(record.uid);
    }
  });

  it('reads user, admin flags, objects and changes', () => {
    const a = mapConfluenceRecord(sample[0], CTX).attributes;
    expect(a).toMatchObject({
      'user.id': '63bed71b0913ada386aadbe4',
      'user.full_name': 'Shaked Klein',
      'atlassian.actor.type': 'user',
      'atlassian.audit.summary': 'Space permission added',
      'atlassian.audit.category': 'Permissions',
      'atlassian.confluence.sys_admin': true,
      'atlassian.confluence.super_admin': false,
      'atlassian.audit.object': { name: 'Chat Notifications', objectType: 'User' },
      'atlassian.audit.associated_items': [{ name: 'Shaked Klein', objectType: 'Space' }],
      'atlassian.event.category': ['iam', 'configuration'],
      'atlassian.event.type': ['creation'],
      'atlassian.event.outcome': 'success',
    });
    expect((a['atlassian.audit.changed_values'] as unknown[]).length).toBe(3);
    // "" is how this API says "no address".
    expect(a['client.address']).toBeUndefined();
  });

  it('treats the System author as the product, not a user', () => {
    const system = records.find((r) => (r['author'] as { displayName?: string }).displayName === 'System')!;
    const a = mapConfluenceRecord(system, CTX).attributes;
    expect(a['atlassian.actor.type']).toBe('system');
    expect(a['user.id']).toBeUndefined();
    expect(a['user.full_name']).toBeUndefined();
    expect(a['client.address']).toBe('81.2.69.143');
    expect(a['atlassian.event.type']).toEqual(['group', 'change']);
  });

  it('leaves out empty objects and empty change lists', () => {
    const deactivated = records.find((r) => r.summary === 'User deactivated' && (r['affectedObject'] as { name: string }).name === '');
    const a = mapConfluenceRecord(deactivated ?? { ...records[0]!, affectedObject: { name: '', objectType: '' } }, CTX).attributes;
    expect(a['atlassian.audit.object']).toBeUndefined();
    expect(mapConfluenceRecord(records[0], CTX).attributes['atlassian.audit.changed_values']).toBeUndefined();
  });

  it('matches the golden file', async () => {
    await expect(`${JSON.stringify(mapped.map(stable), null, 2)}\n`).toMatchFileSnapshot('./golden/test-audit-cloud.json');
  });
});

describe('fingerprint', () => {
  const base = records[3]!;

  it('ignores key order and cosmetic author fields', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse());
    const renamed = { ...base, author: { ...(base['author'] as object), displayName: 'Renamed', publicName: 'x' } };
    expect(confluenceFingerprint(reordered)).toBe(confluenceFingerprint(base));
    expect(confluenceFingerprint(renamed)).toBe(confluenceFingerprint(base));
  });

  it.each(['creationDate', 'remoteAddress', 'summary', 'affectedObject', 'associatedObjects', 'changedValues'])('changes with %s', (key) => {
    expect(confluenceFingerprint({ ...base, [key]: key === 'creationDate' ? 1 : [{ name: 'other' }] })).not.toBe(confluenceFingerprint(base));
  });

  it('changes with the author account', () => {
    expect(confluenceFingerprint({ ...base, author: { accountId: 'someone-else' } })).not.toBe(confluenceFingerprint(base));
  });

  it('numbers identical copies into distinct uids', () => {
    const first = mapConfluenceRecord(base, { ...CTX, occurrence: 0 });
    const second = mapConfluenceRecord({ ...base }, { ...CTX, occurrence: 1 });
    expect(second.attributes['atlassian.audit.fingerprint']).toBe(first.attributes['atlassian.audit.fingerprint']);
    expect(second.uid).not.toBe(first.uid);
    expect(second.uid.endsWith('#1')).toBe(true);
  });
});

describe('records the schema rejects are still delivered', () => {
  it('flags a missing creationDate and keeps summary and category', () => {
    const raw = { summary: 'Space created', category: 'Spaces' };
    const record = mapConfluenceRecord(raw, CTX);
    expect(record.attributes['atlassian.receiver.schema_error']).toContain('creationDate');
    expect(record.attributes['atlassian.audit.summary']).toBe('Space created');
    expect(record.timeMs).toBe(CTX.observedMs);
    expect(record.body).toBe(raw);
  });
});

function assertWellFormed(raw: unknown): void {
  const record = mapConfluenceRecord(raw, CTX);
  expect(record.eventName).toBe(CONFLUENCE_AUDIT_EVENT_NAME);
  expect(record.uid).toMatch(/^acme\.atlassian\.net:[0-9a-f]{32}#0$/);
  expect(record.attributes['log.record.uid']).toBe(record.uid);
  expect(Number.isFinite(record.timeMs)).toBe(true);
  expect(Object.values(record.attributes)).not.toContain(undefined);
  expect(record.body).toBe(raw === undefined ? null : raw);
}

describe('mapConfluenceRecord never throws', () => {
  it('for fc.anything()', () => {
    fc.assert(fc.property(fc.anything(), (raw) => assertWellFormed(raw)), { numRuns: 300 });
  });

  it('for parsed fc.json()', () => {
    fc.assert(fc.property(fc.json(), (text) => assertWellFormed(JSON.parse(text))), { numRuns: 300 });
  });

  it('for fixture records with any field replaced by arbitrary JSON', () => {
    const keys = Object.keys(records[3]!);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        assertWellFormed({ ...records[3]!, [key]: value });
      }),
      { numRuns: 300 },
    );
  });
});
