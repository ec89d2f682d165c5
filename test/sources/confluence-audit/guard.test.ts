import fc from 'fast-check';
import { isConfluenceAuditRecord } from '../../../src/sources/confluence-audit/guard.js';
import { mapConfluenceRecord } from '../../../src/sources/confluence-audit/map.js';
import { confluenceAuditRecordSchema } from '../../../src/sources/confluence-audit/schema.js';
import { confluenceFixtureRecords, confluenceSampleRecords } from '../../helpers/confluence-audit-server.js';
import { field, list, mostly, optBool, shapeCheckProperties, strings } from '../../helpers/shape-check-properties.js';

const CTX = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', sourceName: 'wiki', observedMs: 1_700_000_000_000 };
const OBJECT = ['name', 'objectType'];
const AUTHOR = ['type', 'displayName', 'accountId', 'username', 'userKey', 'accountType', 'publicName'];

const records = fc.record({
  author: fc.oneof({ arbitrary: field, weight: 1 }, { arbitrary: fc.record({ ...Object.fromEntries(AUTHOR.map((k) => [k, field])), externalCollaborator: optBool, isExternalCollaborator: optBool, operations: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), weight: 5 }),
  remoteAddress: field, summary: field, description: field, category: field,
  creationDate: mostly(fc.oneof(fc.integer(), fc.constant(1.5), fc.constant(2 ** 60))),
  sysAdmin: optBool, superAdmin: optBool,
  affectedObject: strings(...OBJECT),
  changedValues: list(mostly(fc.record(Object.fromEntries(['name', 'oldValue', 'newValue', 'hiddenOldValue', 'hiddenNewValue'].map((k) => [k, field])), { requiredKeys: [] }))),
  associatedObjects: list(mostly(fc.record(Object.fromEntries(OBJECT.map((k) => [k, field])), { requiredKeys: [] }))),
}, { requiredKeys: ['creationDate'] });

shapeCheckProperties({ name: 'Confluence audit records', accepts: isConfluenceAuditRecord, schema: confluenceAuditRecordSchema, map: (raw) => mapConfluenceRecord(raw, CTX), fixtures: [...confluenceFixtureRecords(), ...confluenceSampleRecords()], records });
