// Our Confluence Cloud mapping against Elastic's expected output for the same 37 records
// (test/fixtures/confluence-audit/elastic/PROVENANCE.md), field by field, as the org mapping is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapConfluenceRecord } from '../../../src/sources/confluence-audit/map.js';

interface ElasticConfluenceDoc {
  '@timestamp': string;
  event: { original: string };
  confluence: { audit: { type: { action: string; category: string } } };
  source?: { ip: string };
  user?: { id?: string; full_name?: string };
}

const CTX = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', sourceName: 'acme-wiki', observedMs: 0 };
const dir = new URL('../../fixtures/confluence-audit/elastic/', import.meta.url);
const expected = (JSON.parse(readFileSync(new URL('test-audit-cloud.log-expected.json', dir), 'utf8')) as { expected: ElasticConfluenceDoc[] }).expected;
const records = readFileSync(new URL('test-audit-cloud.log', dir), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);

describe('mapConfluenceRecord against Elastic atlassian_confluence expected output', () => {
  it('has one expected document per record', () => {
    expect(expected).toHaveLength(records.length);
    expect(records.length).toBe(37);
  });

  it.each(records.map((raw, i) => ({ raw, exp: expected[i]!, line: `line ${i + 1}` })))('$line agrees with Elastic', ({ raw, exp }) => {
    const record = mapConfluenceRecord(raw, CTX);
    const a = record.attributes;
    expect(JSON.parse(exp.event.original)).toEqual(raw);
    expect(record.body).toEqual(raw);
    expect(a['atlassian.receiver.schema_error']).toBeUndefined();
    expect(new Date(record.timeMs).toISOString()).toBe(exp['@timestamp']);
    expect(a['atlassian.audit.action']).toBe(exp.confluence.audit.type.action);
    expect(a['atlassian.audit.summary']).toBe(exp.confluence.audit.type.action);
    expect(a['atlassian.audit.category']).toBe(exp.confluence.audit.type.category);
    expect(a['client.address']).toBe(exp.source?.ip);
    expect(a['user.id']).toBe(exp.user?.id);
    if (exp.user?.id) {
      expect(a['user.full_name']).toBe(exp.user.full_name);
      expect(a['atlassian.actor.type']).toBe('user');
    } else {
      // A deliberate difference: Elastic puts Confluence's own "System" author in user.full_name;
      // we keep user.* for people and say atlassian.actor.type = system instead.
      expect(exp.user?.full_name).toBe('System');
      expect(a['user.full_name']).toBeUndefined();
      expect(a['atlassian.actor.type']).toBe('system');
    }
  });
});
