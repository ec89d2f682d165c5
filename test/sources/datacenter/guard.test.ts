import fc from 'fast-check';
import { isDcAuditEvent } from '../../../src/sources/datacenter/guard.js';
import { mapDataCenterEvent } from '../../../src/sources/datacenter/map.js';
import { dcAuditEventSchema } from '../../../src/sources/datacenter/schema.js';
import { dcFixture } from '../../helpers/datacenter-fixtures.js';
import { field, list, mostly, shapeCheckProperties, strings } from '../../helpers/shape-check-properties.js';

const CTX = { product: 'jira' as const, sourceName: 'jira-dc', observedMs: 1_700_000_000_000, system: 'https://jira.example.com' };
const TYPE = ['action', 'actionI18nKey', 'category', 'categoryI18nKey', 'area', 'level'];
const id = fc.oneof({ arbitrary: fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null), fc.constant(undefined)), weight: 30 }, { arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, true, {}), weight: 1 });
const withId = (...keys: string[]) => mostly(fc.record({ id, ...Object.fromEntries(keys.map((k) => [k, field])) }, { requiredKeys: [] }));
const timestamp = fc.oneof(
  { arbitrary: fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 10 },
  { arbitrary: fc.record({ epochSecond: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constant(1.5)), nano: fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.constant(1_000_000_000), fc.constant(-1)) }), weight: 10 },
  { arbitrary: fc.oneof(fc.constant('not a time'), field), weight: 1 },
);

const records = fc.record({
  timestamp,
  type: fc.oneof({ arbitrary: strings(...TYPE), weight: 3 }, { arbitrary: fc.constant(undefined), weight: 1 }),
  auditType: fc.oneof({ arbitrary: strings(...TYPE), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 2 }),
  author: fc.oneof({ arbitrary: withId('name', 'type', 'uri', 'avatarUri'), weight: 5 }, { arbitrary: field, weight: 1 }),
  affectedObjects: list(withId('name', 'type', 'uri')),
  changedValues: list(mostly(fc.record(Object.fromEntries(['key', 'i18nKey', 'from', 'to'].map((k) => [k, field])), { requiredKeys: [] }))),
  extraAttributes: list(mostly(fc.record(Object.fromEntries(['name', 'nameI18nKey', 'value'].map((k) => [k, field])), { requiredKeys: [] }))),
  source: field, system: field, node: field, method: field, version: field,
}, { requiredKeys: ['timestamp'] });

const fixtures = (['jira', 'confluence', 'bitbucket'] as const).flatMap((product) => [...dcFixture(product, 'rest'), ...dcFixture(product, 'file')]);

shapeCheckProperties({ name: 'Data Center audit events', accepts: isDcAuditEvent, schema: dcAuditEventSchema, map: (raw) => mapDataCenterEvent(raw, CTX), fixtures, records });
