/**
 * The LogRecord attribute keys this receiver can emit, derived by running each source's real
 * mapping function over sample records, never hand-copied, so deploy configs (collector
 * transforms, SIEM parsers) can be checked against what the mappings actually produce.
 *
 * Pure: no I/O. The caller supplies the samples (the tests keep maximal ones, with every
 * optional field present, in test/fixtures/attribute-catalog/).
 */
import type { AuditLogRecord } from '../pipeline/audit-log-record.js';
import { REPLAY_ID_ATTRIBUTE } from '../pipeline/replay.js';
import { mapConfluenceRecord } from './confluence-audit/map.js';
import { mapDataCenterEvent } from './datacenter/map.js';
import { mapJiraRecord } from './jira-audit/map.js';
import { mapOrgEvent } from './org-events/map.js';

/** One source type's mapping, reduced to `raw record -> AuditLogRecord`. */
export interface CatalogMapper {
  /** The config `type` of the source (`sources[].type`), also the key of its samples. */
  readonly sourceType: string;
  /** The folder under src/sources/ holding the mapping, when it is not named after the type (one family, several types). */
  readonly folder?: string;
  readonly map: (raw: unknown) => AuditLogRecord;
}

/** Samples per source type: upstream records exactly as the API returns them. */
export type CatalogSamples = Readonly<Record<string, readonly unknown[]>>;

/** Context values only shape attribute values, never which keys appear. */
const ORG_CONTEXT = { orgId: 'catalog-org', sourceName: 'catalog', observedMs: 0 } as const;
const SITE_CONTEXT = { site: 'https://catalog.atlassian.net', siteHost: 'catalog.atlassian.net', sourceName: 'catalog', observedMs: 0 } as const;
/** Product only shapes categorisation values; the samples carry every product's keys anyway. */
const DC_CONTEXT = { product: 'bitbucket', sourceName: 'catalog', observedMs: 0 } as const;

/**
 * Every mapping the catalog runs.
 *
 * EXTENSION POINT (CATALOG_MAPPERS): when a source gains a `map.ts`, add it here and add
 * maximal samples under test/fixtures/attribute-catalog/<sourceType>.samples.json
 * (a family of source types sharing one folder's mapping sets `folder`).
 * test/deploy/attribute-catalog.test.ts fails while a src/sources/<name>/map.ts exists
 * without an entry here, so a new mapping cannot silently escape the deploy checks.
 */
export const CATALOG_MAPPERS: readonly CatalogMapper[] = [
  { sourceType: 'org-events', map: (raw) => mapOrgEvent(raw, ORG_CONTEXT) },
  { sourceType: 'jira-audit', map: (raw) => mapJiraRecord(raw, SITE_CONTEXT) },
  { sourceType: 'confluence-audit', map: (raw) => mapConfluenceRecord(raw, SITE_CONTEXT) },
  // One Data Center mapping serves both source types (REST `type` and file `auditType` shapes).
  { sourceType: 'datacenter-audit', folder: 'datacenter', map: (raw) => mapDataCenterEvent(raw, DC_CONTEXT) },
  { sourceType: 'datacenter-audit-file', folder: 'datacenter', map: (raw) => mapDataCenterEvent(raw, DC_CONTEXT) },
];

/** Attribute keys per source type; throws if a mapper has no samples or a sample set has no mapper. */
export function emittedAttributeKeysBySource(
  samples: CatalogSamples,
  mappers: readonly CatalogMapper[] = CATALOG_MAPPERS,
): Map<string, Set<string>> {
  const known = new Set(mappers.map((m) => m.sourceType));
  const orphans = Object.keys(samples).filter((type) => !known.has(type));
  if (orphans.length > 0) throw new Error(`samples for unknown source types: ${orphans.join(', ')}`);

  const bySource = new Map<string, Set<string>>();
  for (const mapper of mappers) {
    const records = samples[mapper.sourceType] ?? [];
    if (records.length === 0) throw new Error(`no samples for source type ${mapper.sourceType}`);
    const keys = new Set<string>();
    for (const raw of records) {
      for (const key of Object.keys(mapper.map(raw).attributes)) keys.add(key);
    }
    bySource.set(mapper.sourceType, keys);
  }
  return bySource;
}

/**
 * Keys the pipeline adds to any source's records outside the mappings: `replay` marks each
 * record it delivers again with the replay's id (the uid stays the first delivery's).
 */
export const PIPELINE_ATTRIBUTE_KEYS: readonly string[] = [REPLAY_ID_ATTRIBUTE];

/** Union over all sources plus the pipeline's own keys: every LogRecord attribute key the receiver can emit. */
export function emittedAttributeKeys(
  samples: CatalogSamples,
  mappers: readonly CatalogMapper[] = CATALOG_MAPPERS,
): Set<string> {
  const all = new Set<string>(PIPELINE_ATTRIBUTE_KEYS);
  for (const keys of emittedAttributeKeysBySource(samples, mappers).values()) {
    for (const key of keys) all.add(key);
  }
  return all;
}
