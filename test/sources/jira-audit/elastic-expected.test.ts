// Our Jira Cloud mapping against Elastic's expected output for the same 82 records
// (test/fixtures/jira-audit/elastic/PROVENANCE.md), field by field, as the org mapping is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapJiraRecord } from '../../../src/sources/jira-audit/map.js';
import { jiraFixtureRecords } from '../../helpers/jira-audit-server.js';

interface ElasticJiraDoc {
  '@timestamp': string;
  event: { id: string; action: string; original: string; category?: string[] };
  jira: { audit: { type: { action: string; category: string }; changed_values?: unknown[] } };
  source?: { ip: string };
  user?: { id?: string };
}

const CTX = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', sourceName: 'acme-jira', observedMs: 0 };
const expected = (JSON.parse(readFileSync(new URL('../../fixtures/jira-audit/elastic/test-audit-cloud.log-expected.json', import.meta.url), 'utf8')) as { expected: ElasticJiraDoc[] }).expected;
const records = jiraFixtureRecords();

describe('mapJiraRecord against Elastic atlassian_jira expected output', () => {
  it('has one expected document per record', () => {
    expect(expected).toHaveLength(records.length);
    expect(records.length).toBe(82);
  });

  it.each(records.map((raw, i) => ({ raw, exp: expected[i]!, line: `line ${i + 1}` })))('$line agrees with Elastic', ({ raw, exp }) => {
    const record = mapJiraRecord(raw, CTX);
    const a = record.attributes;
    expect(JSON.parse(exp.event.original)).toEqual(raw);
    expect(record.body).toEqual(raw);
    expect(a['atlassian.receiver.schema_error']).toBeUndefined();
    expect(new Date(record.timeMs).toISOString()).toBe(exp['@timestamp']);
    expect(a['atlassian.event.id']).toBe(exp.event.id);
    expect(record.uid).toBe(`acme.atlassian.net:${exp.event.id}`);
    expect(a['atlassian.audit.action']).toBe(exp.event.action);
    expect(a['atlassian.audit.summary']).toBe(exp.jira.audit.type.action);
    expect(a['atlassian.audit.category']).toBe(exp.jira.audit.type.category);
    expect(a['client.address']).toBe(exp.source?.ip);
    expect(a['user.id']).toBe(exp.user?.id);
    expect((a['atlassian.audit.changed_values'] as unknown[] | undefined)?.length).toBe(exp.jira.audit.changed_values?.length);
  });
});
