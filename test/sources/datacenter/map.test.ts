import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Severity, type AuditLogRecord } from '../../../src/pipeline/audit-log-record.js';
import { DC_AUDIT_EVENT_NAME, mapDataCenterEvent, type DcMapContext } from '../../../src/sources/datacenter/map.js';
import { DC_PRODUCTS } from '../../../src/sources/datacenter/product.js';
import { dcFixture, type DcShape } from '../../helpers/datacenter-fixtures.js';

const ctx = (product: DcMapContext['product']): DcMapContext => ({ product, sourceName: `${product}-dc`, observedMs: 1_700_000_000_000 });

function stable(record: AuditLogRecord): Omit<AuditLogRecord, 'observedMs' | 'body'> {
  const { uid, timeMs, eventName, severity, attributes } = record;
  return { uid, timeMs, eventName, severity, attributes };
}

/** The event time as the fixture writes it, read independently of the mapping. */
function fixtureTimeMs(raw: Record<string, unknown>): number {
  const t = raw['timestamp'];
  if (typeof t === 'string') return Date.parse(t);
  const { epochSecond, nano } = t as { epochSecond: number; nano: number };
  return epochSecond * 1000 + Math.floor(nano / 1e6);
}

const EXPECTED_COUNTS: Record<string, number> = {
  'jira/rest': 100, 'jira/file': 4, 'confluence/rest': 4, 'confluence/file': 64, 'bitbucket/rest': 4, 'bitbucket/file': 3,
};

describe.each(DC_PRODUCTS.flatMap((product) => (['rest', 'file'] as DcShape[]).map((shape) => [product, shape] as const)))(
  'mapDataCenterEvent over every %s %s fixture record',
  (product, shape) => {
    const records = dcFixture(product, shape);
    const mapped = records.map((raw) => mapDataCenterEvent(raw, ctx(product)));

    it('maps each record without a schema error, keeping the body and the event time', () => {
      expect(records).toHaveLength(EXPECTED_COUNTS[`${product}/${shape}`]!);
      mapped.forEach((record, i) => {
        const raw = records[i]!;
        expect(record.attributes['atlassian.receiver.schema_error'], JSON.stringify(raw)).toBeUndefined();
        expect(record.body).toBe(raw);
        expect(record.eventName).toBe(DC_AUDIT_EVENT_NAME);
        expect(record.timeMs).toBe(fixtureTimeMs(raw));
        expect(record.attributes).toMatchObject({ 'atlassian.product': product, 'atlassian.deployment': 'datacenter', 'log.record.uid': record.uid });
      });
    });

    it('reads action, keys, actor and address from the record as written', () => {
      mapped.forEach((record, i) => {
        const raw = records[i]!;
        const type = (raw['type'] ?? raw['auditType']) as Record<string, string>;
        const author = raw['author'] as { id: string; name: string; type: string };
        const a = record.attributes;
        expect(a['atlassian.audit.action']).toBe(type['action']);
        expect(a['atlassian.audit.action_key']).toBe(type['actionI18nKey']);
        expect(a['atlassian.audit.category_key']).toBe(type['categoryI18nKey']);
        expect(a['atlassian.audit.area']).toBe(shape === 'file' ? type['area'] : undefined);
        const actor = author.id === '-1' ? 'system' : author.id === '-2' ? 'anonymous' : 'user';
        expect(a['atlassian.actor.type']).toBe(actor);
        expect(a['user.name']).toBe(actor === 'user' ? author.name : undefined);
        const source = raw['source'] as string | undefined;
        expect(a['client.address']).toBe(source ? source.split(',')[0] : undefined);
      });
    });

    it('gives distinct records distinct uids in the instance namespace', () => {
      expect(new Set(mapped.map((r) => r.uid)).size).toBe(records.length);
      mapped.forEach((record, i) => {
        const host = new URL(records[i]!['system'] as string).host;
        expect(record.uid.startsWith(`${host}`)).toBe(true);
        expect(record.uid).toMatch(/:[0-9a-f]{32}#0$/);
      });
    });

    it('matches the golden file', async () => {
      await expect(`${JSON.stringify(mapped.map(stable), null, 2)}\n`).toMatchFileSnapshot(`./golden/${product}-${shape}.json`);
    });
  },
);

describe('both shapes map to the same LogRecord', () => {
  it.each(DC_PRODUCTS)('a %s file line rewritten in the REST shape keeps its uid and attributes (bar area and level)', (product) => {
    for (const line of dcFixture(product, 'file')) {
      const { auditType, timestamp, version: _version, ...rest } = line as { auditType: Record<string, string>; timestamp: { epochSecond: number; nano: number }; version: string };
      const { area: _area, level: _level, ...type } = auditType;
      const entity = { ...rest, type, timestamp: new Date(timestamp.epochSecond * 1000 + timestamp.nano / 1e6).toISOString() };
      const fromFile = mapDataCenterEvent(line, ctx(product));
      const fromRest = mapDataCenterEvent(entity, ctx(product));
      expect(fromRest.uid).toBe(fromFile.uid);
      const { 'atlassian.audit.area': _a, 'atlassian.audit.level': _l, ...fileAttrs } = fromFile.attributes;
      expect(fromRest.attributes).toEqual(fileAttrs);
    }
  });
});

describe('Data Center specifics', () => {
  const [bbRest] = dcFixture('bitbucket', 'rest');

  it('parses Bitbucket extra attributes that are JSON strings, keyed by i18n key', () => {
    const a = mapDataCenterEvent(bbRest, ctx('bitbucket')).attributes;
    expect(a['atlassian.audit.extra_attributes']).toEqual({
      'bitbucket.audit.attribute.legacy.details': { 'old.project': 'TEST', 'new.project': 'AT' },
      'bitbucket.audit.attribute.legacy.target': 'TEST/test2',
    });
    expect(a['atlassian.audit.affected_objects.types']).toEqual(['PROJECT', 'REPOSITORY']);
    expect(a['atlassian.audit.affected_objects.names']).toEqual(['TEST', 'test2']);
    expect(a['atlassian.audit.changed_values']).toEqual([{ key: 'Project', i18nKey: 'bitbucket.service.repository.audit.changedvalue.repositorymodification.project', from: 'TEST', to: 'AT' }]);
  });

  it('keeps the whole X-Forwarded-For chain and takes the first address as the client', () => {
    const a = mapDataCenterEvent({ ...bbRest, source: '203.0.113.9, 10.0.0.2,10.0.0.3' }, ctx('bitbucket')).attributes;
    expect(a['client.address']).toBe('203.0.113.9');
    expect(a['atlassian.audit.source_addresses']).toEqual(['203.0.113.9', '10.0.0.2', '10.0.0.3']);
  });

  it('tells identical events apart only by their copy number', () => {
    const first = mapDataCenterEvent(bbRest, { ...ctx('bitbucket'), occurrence: 0 });
    const second = mapDataCenterEvent(structuredClone(bbRest), { ...ctx('bitbucket'), occurrence: 1 });
    expect(second.attributes['atlassian.audit.fingerprint']).toBe(first.attributes['atlassian.audit.fingerprint']);
    expect(second.uid).toBe(first.uid.replace(/#0$/, '#1'));
  });

  it('ignores localised text and display names in the fingerprint, but not the action key or the time', () => {
    const base = mapDataCenterEvent(bbRest, ctx('bitbucket')).uid;
    const type = bbRest!['type'] as Record<string, string>;
    const author = bbRest!['author'] as Record<string, string>;
    expect(mapDataCenterEvent({ ...bbRest, type: { ...type, action: 'Repository-Änderung angefordert' }, author: { ...author, name: 'renamed' } }, ctx('bitbucket')).uid).toBe(base);
    expect(mapDataCenterEvent({ ...bbRest, type: { ...type, actionI18nKey: 'other.key' } }, ctx('bitbucket')).uid).not.toBe(base);
    expect(mapDataCenterEvent({ ...bbRest, timestamp: '2021-11-27T18:11:09.515Z' }, ctx('bitbucket')).uid).not.toBe(base);
  });

  it('namespaces by the configured instance when an event has no system', () => {
    const { system: _s, ...raw } = bbRest!;
    expect(mapDataCenterEvent(raw, { ...ctx('bitbucket'), system: 'https://git.acme.internal/bitbucket/' }).uid).toMatch(/^git\.acme\.internal\/bitbucket:/);
  });
});

describe('events the schema rejects are still delivered', () => {
  it('flags a missing timestamp and keeps action, key and categorisation', () => {
    const raw = { type: { action: 'Login failed', actionI18nKey: 'jira.auditing.user.login.failed' }, system: 'http://jira.internal:8088' };
    const record = mapDataCenterEvent(raw, ctx('jira'));
    expect(record.attributes['atlassian.receiver.schema_error']).toContain('timestamp');
    expect(record.attributes).toMatchObject({ 'atlassian.audit.action_key': 'jira.auditing.user.login.failed', 'atlassian.event.outcome': 'failure' });
    expect(record.severity).toBe(Severity.WARN);
    expect(record.timeMs).toBe(1_700_000_000_000);
    expect(record.body).toBe(raw);
  });

  it('flags an event with neither type nor auditType', () => {
    const error = mapDataCenterEvent({ timestamp: '2024-01-01T00:00:00Z' }, ctx('confluence')).attributes['atlassian.receiver.schema_error'];
    expect(error).toContain('neither type nor auditType');
  });

  it('never throws, for anything', () => {
    fc.assert(fc.property(fc.anything(), fc.constantFrom(...DC_PRODUCTS), (raw, product) => {
      const record = mapDataCenterEvent(raw, ctx(product));
      expect(record.attributes['log.record.uid']).toBe(record.uid);
      expect(Number.isFinite(record.timeMs)).toBe(true);
      expect(Object.values(record.attributes)).not.toContain(undefined);
    }), { numRuns: 300 });
  });

  it('never throws for a fixture record with any field replaced by arbitrary JSON', () => {
    const [line] = dcFixture('bitbucket', 'file');
    fc.assert(fc.property(fc.constantFrom(...Object.keys(line!)), fc.jsonValue(), (key, value) => {
      const record = mapDataCenterEvent({ ...line, [key]: value }, ctx('bitbucket'));
      expect(Object.values(record.attributes)).not.toContain(undefined);
    }), { numRuns: 300 });
  });
});
