import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_MAPPERS,
  emittedAttributeKeys,
  emittedAttributeKeysBySource,
  type CatalogSamples,
} from '../../src/sources/attribute-catalog.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLES_DIR = `${ROOT}test/fixtures/attribute-catalog/`;

function loadCatalogSamples(): CatalogSamples {
  const samples: Record<string, unknown[]> = {};
  for (const file of readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.samples.json'))) {
    samples[file.slice(0, -'.samples.json'.length)] = JSON.parse(readFileSync(SAMPLES_DIR + file, 'utf8')) as unknown[];
  }
  return samples;
}

/**
 * Attribute keys written literally in a mapping's source: `put(attrs, 'k', …)`,
 * `putNonEmpty(attrs, 'k', …)`, `attrs['k'] = …` and `'k': …` object keys.
 */
function keysWrittenIn(source: string): Set<string> {
  const keys = new Set<string>();
  const patterns = [/\bput\w*\(\s*attrs\s*,\s*'([^']+)'/g, /\battrs\[\s*'([^']+)'\s*\]\s*=/g, /^\s*'([a-z0-9_.]+)'\s*:/gm];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) keys.add(match[1]!);
  }
  return keys;
}

describe('attribute catalog', () => {
  const samples = loadCatalogSamples();

  it('derives the keys from the mapping code (spot check of well-known keys)', () => {
    const keys = emittedAttributeKeys(samples);
    for (const key of ['user.id', 'user.email', 'user.full_name', 'client.address', 'atlassian.audit.action',
      'atlassian.event.outcome', 'atlassian.source', 'log.record.uid', 'atlassian.receiver.schema_error', 'atlassian.receiver.replay_id']) {
      expect(keys, key).toContain(key);
    }
  });

  it('has maximal samples: every key a mapping writes literally is emitted for some sample', () => {
    const bySource = emittedAttributeKeysBySource(samples);
    // Source types sharing one folder's mapping (Data Center REST and files) are checked together.
    const byFolder = new Map<string, Set<string>>();
    for (const { sourceType, folder } of CATALOG_MAPPERS) {
      const keys = byFolder.get(folder ?? sourceType) ?? new Set<string>();
      for (const key of bySource.get(sourceType)!) keys.add(key);
      byFolder.set(folder ?? sourceType, keys);
    }
    for (const [folder, emitted] of byFolder) {
      const dir = `${ROOT}src/sources/${folder}/`;
      // A mapping may split its attribute writers into attributes.ts beside map.ts.
      const code = ['map.ts', 'attributes.ts'].filter((f) => existsSync(dir + f)).map((f) => readFileSync(dir + f, 'utf8')).join('\n');
      const written = keysWrittenIn(code);
      expect(written.size, `${folder}: found no attribute writes; has map.ts changed style?`).toBeGreaterThan(5);
      const missing = [...written].filter((k) => !emitted.has(k));
      expect(missing, `${folder}: add samples to test/fixtures/attribute-catalog/`).toEqual([]);
    }
  });

  it('covers every source folder that has a mapping (extension point CATALOG_MAPPERS)', () => {
    const withMapping = readdirSync(`${ROOT}src/sources/`, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(`${ROOT}src/sources/${d.name}/map.ts`))
      .map((d) => d.name);
    const cataloged = CATALOG_MAPPERS.map((m) => m.folder ?? m.sourceType);
    expect(withMapping.filter((name) => !cataloged.includes(name)),
      'add the mapping to CATALOG_MAPPERS in src/sources/attribute-catalog.ts').toEqual([]);
  });

  it('names each source type as its config does (`type: z.literal(...)` in a config.ts of src/sources/<folder>/)', () => {
    for (const { sourceType, folder } of CATALOG_MAPPERS) {
      const dir = `${ROOT}src/sources/${folder ?? sourceType}/`;
      const configs = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f === 'config.ts' || f.endsWith('/config.ts') || f.endsWith('-config.ts'));
      const text = configs.map((f) => readFileSync(dir + f, 'utf8')).join('\n');
      expect(text, sourceType).toContain(`type: z.literal('${sourceType}')`);
    }
  });

  it('refuses a mapper without samples and samples without a mapper', () => {
    expect(() => emittedAttributeKeys({})).toThrow(/no samples for source type org-events/);
    expect(() => emittedAttributeKeys({ ...samples, 'jira-audit': [] })).toThrow(/no samples for source type jira-audit/);
    expect(() => emittedAttributeKeys({ ...samples, nope: [{}] })).toThrow(/unknown source types: nope/);
  });
});
