// Real AuditLogRecords from every source type's fixtures, mapped by the receiver's own mappings.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { mapConfluenceRecord } from '../../src/sources/confluence-audit/map.js';
import { mapDataCenterEvent } from '../../src/sources/datacenter/map.js';
import { DC_PRODUCTS } from '../../src/sources/datacenter/product.js';
import { mapJiraRecord } from '../../src/sources/jira-audit/map.js';
import { mapOrgEvent } from '../../src/sources/org-events/map.js';
import { confluenceFixtureRecords, confluenceSampleRecords } from '../helpers/confluence-audit-server.js';
import { dcFixture } from '../helpers/datacenter-fixtures.js';
import { jiraFixtureRecords } from '../helpers/jira-audit-server.js';

const ORG_DIR = fileURLToPath(new URL('../fixtures/org-events/elastic/', import.meta.url));
const OBSERVED_MS = 1_700_000_000_123;

export function mappedFixtureRecords(): Record<'org' | 'jira' | 'confluence' | 'datacenter', AuditLogRecord[]> {
  const org = readdirSync(ORG_DIR)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .flatMap((f) => readFileSync(ORG_DIR + f, 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .map((line) => mapOrgEvent(JSON.parse(line), { orgId: 'org-1', sourceName: 'org', observedMs: OBSERVED_MS }));
  const site = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', observedMs: OBSERVED_MS };
  const jira = jiraFixtureRecords().map((raw) => mapJiraRecord(raw, { ...site, sourceName: 'jira' }));
  const confluence = [...confluenceFixtureRecords(), ...confluenceSampleRecords()].map((raw) => mapConfluenceRecord(raw, { ...site, sourceName: 'wiki' }));
  const datacenter = DC_PRODUCTS.flatMap((product) =>
    (['rest', 'file'] as const).flatMap((shape) => dcFixture(product, shape).map((raw) => mapDataCenterEvent(raw, { product, sourceName: `${product}-dc`, observedMs: OBSERVED_MS }))),
  );
  return { org, jira, confluence, datacenter };
}
