import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Severity, type AuditLogRecord } from '../../../src/pipeline/audit-log-record.js';
import { JIRA_AUDIT_EVENT_NAME, mapJiraRecord } from '../../../src/sources/jira-audit/map.js';
import { jiraFixtureRecords, type JiraRecord } from '../../helpers/jira-audit-server.js';

const CTX = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', sourceName: 'acme-jira', observedMs: 1_700_000_000_000 };
const records = jiraFixtureRecords();
const byId = (id: number): JiraRecord => records.find((r) => r.id === id)!;

function stable(record: AuditLogRecord): Omit<AuditLogRecord, 'observedMs' | 'body'> {
  const { uid, timeMs, eventName, severity, attributes } = record;
  return { uid, timeMs, eventName, severity, attributes };
}

describe('mapJiraRecord over the 82 Jira Cloud records (Elastic fixture)', () => {
  const mapped = records.map((raw) => mapJiraRecord(raw, CTX));

  it('maps every record without a schema error, keeping the body', () => {
    expect(records).toHaveLength(82);
    mapped.forEach((record, i) => {
      expect(record.attributes['atlassian.receiver.schema_error']).toBeUndefined();
      expect(record.body).toBe(records[i]);
      expect(record.eventName).toBe(JIRA_AUDIT_EVENT_NAME);
    });
  });

  it('gives each record a distinct uid of site host and id', () => {
    expect(new Set(mapped.map((r) => r.uid)).size).toBe(82);
    mapped.forEach((record, i) => {
      expect(record.uid).toBe(`acme.atlassian.net:${records[i]!.id}`);
      expect(record.attributes['log.record.uid']).toBe(record.uid);
      expect(record.attributes['atlassian.event.id']).toBe(String(records[i]!.id));
      expect(record.timeMs).toBe(Date.parse(records[i]!.created));
    });
  });

  it('carries author, address, object and changes as the org source names them', () => {
    const a = mapJiraRecord(byId(11893), CTX).attributes;
    expect(a).toMatchObject({
      'user.id': '5e72548417c6640c385f2a16',
      'atlassian.actor.type': 'user',
      'atlassian.audit.author_key': 'ug:20aaaebb-1ee5-400a-af76-d2550b6363b3',
      'client.address': '81.2.69.193',
      'atlassian.audit.summary': 'Customer permissions changed',
      'atlassian.audit.category': 'projects',
      'atlassian.audit.description': 'Update who can access the portal and send requests',
      'atlassian.audit.object': { id: '10022', name: 'Change Control', typeName: 'PROJECT' },
      'atlassian.audit.changed_values': [{ fieldName: 'Customer access', changedFrom: 'Anyone with an account', changedTo: 'Customers my team adds to the project' }],
      'atlassian.audit.associated_items': [{ id: '10022', name: 'Change Control', typeName: 'PROJECT' }],
      'atlassian.site': 'https://acme.atlassian.net',
      'atlassian.product': 'jira',
      'atlassian.source': 'acme-jira',
    });
    // Jira sends "" for no event source: not an attribute.
    expect(a['atlassian.audit.event_source']).toBeUndefined();
  });

  it('marks author-less records as system actions', () => {
    const a = mapJiraRecord(byId(11959), CTX).attributes;
    expect(a['atlassian.actor.type']).toBe('system');
    expect(a['user.id']).toBeUndefined();
    expect(a['client.address']).toBeUndefined();
  });

  it.each([
    ['User created', ['iam'], ['user', 'creation']],
    ['User added to group', ['iam'], ['group', 'change']],
    ['Group created', ['iam'], ['group', 'creation']],
    ["User's password changed", ['iam'], ['user', 'change']],
    ['Permission scheme deleted', ['iam', 'configuration'], ['deletion']],
    ['Permission scheme added to project', ['iam', 'configuration'], ['change']],
    ['Workflow scheme created', ['configuration'], ['creation']],
    ['Project deleted', ['configuration'], ['deletion']],
  ])('categorises "%s"', (summary, category, type) => {
    const raw = records.find((r) => r.summary === summary)!;
    const a = mapJiraRecord(raw, CTX).attributes;
    expect(a['atlassian.event.category']).toEqual(category);
    expect(a['atlassian.event.type']).toEqual(type);
    expect(a['atlassian.event.outcome']).toBe('success');
  });

  it('matches the golden file', async () => {
    await expect(`${JSON.stringify(mapped.map(stable), null, 2)}\n`).toMatchFileSnapshot('./golden/test-audit-cloud.json');
  });
});

describe('mapJiraRecord on Atlassian\'s own spec example', () => {
  const sample = JSON.parse(readFileSync(new URL('../../fixtures/atlassian-samples/jira-cloud-auditing-record.spec-example.json', import.meta.url), 'utf8')) as {
    response: { records: unknown[] };
  };

  it('reads every documented field', () => {
    const record = mapJiraRecord(sample.response.records[0], CTX);
    expect(record.uid).toBe('acme.atlassian.net:1');
    expect(record.timeMs).toBe(Date.parse('2014-03-19T18:45:42.967Z'));
    expect(record.attributes).toMatchObject({
      'atlassian.audit.event_source': 'Jira Connect Plugin',
      'atlassian.audit.description': 'Optional description',
      'client.address': '192.168.1.1',
      'user.id': '5ab8f18d741e9c2c7e9d4538',
      'atlassian.event.type': ['user', 'creation'],
    });
    expect(record.attributes['atlassian.receiver.schema_error']).toBeUndefined();
  });
});

describe('records the schema rejects are still delivered', () => {
  it('flags a missing created time and keeps the id, body and category', () => {
    const raw = { id: 7, summary: 'User login failed', category: 'security' };
    const record = mapJiraRecord(raw, CTX);
    expect(record.attributes['atlassian.receiver.schema_error']).toContain('created');
    expect(record.uid).toBe('acme.atlassian.net:7');
    expect(record.timeMs).toBe(CTX.observedMs);
    expect(record.body).toBe(raw);
    expect(record.attributes['atlassian.event.outcome']).toBe('failure');
    expect(record.severity).toBe(Severity.WARN);
  });

  it('flags wrong-typed fields and names them', () => {
    const raw = { ...records[0]!, summary: 42, changedValues: 'none' };
    const error = mapJiraRecord(raw, CTX).attributes['atlassian.receiver.schema_error'] as string;
    expect(error).toContain('summary');
    expect(error).toContain('changedValues');
  });

  it('uses a content hash when the id is missing, stable under key order', () => {
    const a = mapJiraRecord({ created: '2022-01-01T00:00:00.000+0000', summary: 'x' }, CTX);
    const b = mapJiraRecord({ summary: 'x', created: '2022-01-01T00:00:00.000+0000' }, CTX);
    expect(a.uid).toMatch(/^acme\.atlassian\.net:sha256:[0-9a-f]{64}$/);
    expect(b.uid).toBe(a.uid);
  });
});

function assertWellFormed(raw: unknown): void {
  const record = mapJiraRecord(raw, CTX);
  expect(record.eventName).toBe(JIRA_AUDIT_EVENT_NAME);
  expect(record.uid.startsWith('acme.atlassian.net:')).toBe(true);
  expect(record.attributes['log.record.uid']).toBe(record.uid);
  expect(Number.isFinite(record.timeMs)).toBe(true);
  expect(Object.values(record.attributes)).not.toContain(undefined);
  expect(record.body).toBe(raw === undefined ? null : raw);
}

describe('mapJiraRecord never throws', () => {
  it('for fc.anything()', () => {
    fc.assert(fc.property(fc.anything(), (raw) => assertWellFormed(raw)), { numRuns: 300 });
  });

  it('for parsed fc.json()', () => {
    fc.assert(fc.property(fc.json(), (text) => assertWellFormed(JSON.parse(text))), { numRuns: 300 });
  });

  it('for fixture records with any field replaced by arbitrary JSON', () => {
    const keys = Object.keys(records[2]!);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        assertWellFormed({ ...records[2]!, [key]: value });
      }),
      { numRuns: 300 },
    );
  });
});
