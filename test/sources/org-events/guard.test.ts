import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { isOrgEvent } from '../../../src/sources/org-events/guard.js';
import { mapOrgEvent } from '../../../src/sources/org-events/map.js';
import { orgEventSchema } from '../../../src/sources/org-events/schema.js';
import { bag, field, list, mostly, shapeCheckProperties, strings } from '../../helpers/shape-check-properties.js';

const ELASTIC_DIR = fileURLToPath(new URL('../../fixtures/org-events/elastic/', import.meta.url));
const CTX = { orgId: 'org-1', sourceName: 'org', observedMs: 1_700_000_000_000 };

const fixtures: unknown[] = readdirSync(ELASTIC_DIR)
  .filter((f) => f.endsWith('.log'))
  .flatMap((f) => readFileSync(ELASTIC_DIR + f, 'utf8').split('\n').filter((l) => l.trim() !== ''))
  .map((line): unknown => {
    const doc = JSON.parse(line) as { message?: string };
    return typeof doc.message === 'string' ? JSON.parse(doc.message) : doc;
  });

const ref = mostly(fc.record({ id: field, type: field, attributes: bag }, { requiredKeys: [] }));
const records = fc.record({
  id: mostly(fc.string({ minLength: 1, maxLength: 8 })),
  type: field,
  attributes: mostly(fc.record({
    time: mostly(fc.string({ maxLength: 8 })),
    processedAt: field,
    action: field,
    actor: fc.oneof(field, fc.record({ id: field, name: field, email: field, auth: strings('authType', 'tokenId', 'tokenLabel'), onBehalfOf: strings('id', 'name', 'email'), app: fc.oneof(field, fc.record({ id: field, type: field, attributes: bag }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    context: list(ref),
    container: list(ref),
    location: strings('ip', 'geo', 'countryName', 'regionName', 'city'),
  }, { requiredKeys: ['time'] })),
  message: strings('content', 'format'),
}, { requiredKeys: [] });

shapeCheckProperties({ name: 'org events', accepts: isOrgEvent, schema: orgEventSchema, map: (raw) => mapOrgEvent(raw, CTX), fixtures, records });
