import fc from 'fast-check';
import { isJiraAuditRecord } from '../../../src/sources/jira-audit/guard.js';
import { mapJiraRecord } from '../../../src/sources/jira-audit/map.js';
import { jiraAuditRecordSchema } from '../../../src/sources/jira-audit/schema.js';
import { jiraFixtureRecords } from '../../helpers/jira-audit-server.js';
import { field, list, mostly, shapeCheckProperties, strings } from '../../helpers/shape-check-properties.js';

const CTX = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', sourceName: 'jira', observedMs: 1_700_000_000_000 };
const ITEM = ['id', 'name', 'typeName', 'parentId', 'parentName'];
const item = mostly(fc.record(Object.fromEntries(ITEM.map((k) => [k, field])), { requiredKeys: [] }));

const records = fc.record({
  id: mostly(fc.oneof(fc.nat(), fc.string({ minLength: 1, maxLength: 6 }), fc.constant(-1), fc.constant(1.5), fc.constant(2 ** 53))),
  created: mostly(fc.string({ maxLength: 8 })),
  summary: field, category: field, eventSource: field, description: field, remoteAddress: field, authorKey: field, authorAccountId: field,
  objectItem: strings(...ITEM),
  changedValues: list(mostly(fc.record({ fieldName: field, changedFrom: field, changedTo: field }, { requiredKeys: [] }))),
  associatedItems: list(item),
}, { requiredKeys: ['id', 'created'] });

shapeCheckProperties({ name: 'Jira audit records', accepts: isJiraAuditRecord, schema: jiraAuditRecordSchema, map: (raw) => mapJiraRecord(raw, CTX), fixtures: jiraFixtureRecords(), records });
