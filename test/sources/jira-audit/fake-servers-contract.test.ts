// The Jira and Confluence fake servers are only as good as their likeness to Atlassian's:
// their answers are checked against the official OpenAPI response schemas in test/fixtures.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { confluenceFixtureRecords, startConfluenceAuditServer } from '../../helpers/confluence-audit-server.js';
import { jiraFixtureRecords, startJiraAuditServer, type SiteServer } from '../../helpers/jira-audit-server.js';

type Spec = { components: { schemas: Record<string, Record<string, unknown>> } };

function load(name: string): Spec {
  return JSON.parse(readFileSync(new URL(`../../fixtures/atlassian-openapi/${name}`, import.meta.url), 'utf8')) as Spec;
}

/** A validator for `#/components/schemas/<name>`, with `$ref`s resolved inside the same document. */
function validator(spec: Spec, name: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ components: spec.components }, 'spec');
  return ajv.compile({ $ref: `spec#/components/schemas/${name}` });
}

const auth = { basic: { email: 'a@b.example', apiToken: 't' } };
const authorization = `Basic ${Buffer.from('a@b.example:t').toString('base64')}`;
let server: SiteServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('fake server answers match the official response schemas', () => {
  it('Jira: AuditRecords', async () => {
    const spec = load('jira-platform-v3-auditing.openapi.json');
    // Atlassian's own example carries authorAccountId, which the bean forbids: allow extra keys.
    delete spec.components.schemas['AuditRecordBean']!['additionalProperties'];
    const validate = validator(spec, 'AuditRecords');
    server = await startJiraAuditServer({ auth, records: jiraFixtureRecords() });
    const res = await fetch(`${server.url}/rest/api/3/auditing/record?offset=10&limit=25&from=2021-01-01T00:00:00.000%2B0000`, { headers: { authorization } });
    const body = (await res.json()) as { records: unknown[]; offset: number; limit: number };
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(body).toMatchObject({ offset: 10, limit: 25 });
    expect(validate({ records: [{ id: 'not-an-integer' }] })).toBe(false);
    expect(body.records).toHaveLength(25);
  });

  it('Confluence: AuditRecordArray', async () => {
    const validate = validator(load('confluence-v1-audit.openapi.json'), 'AuditRecordArray');
    server = await startConfluenceAuditServer({ auth, records: confluenceFixtureRecords() });
    const res = await fetch(`${server.url}/wiki/rest/api/audit?start=5&limit=10&startDate=0&endDate=${Date.now()}`, { headers: { authorization } });
    const body = (await res.json()) as { results: { creationDate: number }[] };
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(body.results).toHaveLength(10);
    expect(validate({ results: [] })).toBe(false);
    const dates = body.results.map((r) => r.creationDate);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('both answer 401 without credentials, and serve tenant_info without any', async () => {
    server = await startJiraAuditServer({ auth, records: [] });
    expect((await fetch(`${server.url}/rest/api/3/auditing/record`)).status).toBe(401);
    expect(await (await fetch(`${server.url}/_edge/tenant_info`)).json()).toEqual({ cloudId: server.cloudId });
  });
});
