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
      'atlassian.event.outcome', 'atlassian.source', 'log.record.uid', 'atlassian.receiver.schema_error']) {
      expect(keys, key).toContain(key);
    }
  });

  it('has maximal samples: every key a mapping writes literally is emitted for some sample', () => {
    const bySource = emittedAttributeKeysBySource(samples);
    for (const { sourceType } of CATALOG_MAPPERS) {
      const written = keysWrittenIn(readFileSync(`${ROOT}src/sources/${sourceType}/map.ts`, 'utf8'));
      expect(written.size, `${sourceType}: found no attribute writes; has map.ts changed style?`).toBeGreaterThan(5);
      const missing = [...written].filter((k) => !bySource.get(sourceType)!.has(k));
      expect(missing, `${sourceType}: add samples to test/fixtures/attribute-catalog/${sourceType}.samples.json`).toEqual([]);
    }
  });

  it('covers every source folder that has a mapping (extension point CATALOG_MAPPERS)', () => {
    const withMapping = readdirSync(`${ROOT}src/sources/`, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(`${ROOT}src/sources/${d.name}/map.ts`))
      .map((d) => d.name);
    const cataloged = CATALOG_MAPPERS.map((m) => m.sourceType);
    expect(withMapping.filter((name) => !cataloged.includes(name)),
      'add the mapping to CATALOG_MAPPERS in src/sources/attribute-catalog.ts').toEqual([]);
  });

  it('names each source type as its config does (`type: z.literal(...)` in src/sources/<type>/config.ts)', () => {
    for (const { sourceType } of CATALOG_MAPPERS) {
      expect(readFileSync(`${ROOT}src/sources/${sourceType}/config.ts`, 'utf8')).toContain(`type: z.literal('${sourceType}')`);
    }
  });

  it('refuses a mapper without samples and samples without a mapper', () => {
    expect(() => emittedAttributeKeys({})).toThrow(/no samples for source type org-events/);
    expect(() => emittedAttributeKeys({ ...samples, 'jira-audit': [] })).toThrow(/no samples for source type jira-audit/);
    expect(() => emittedAttributeKeys({ ...samples, nope: [{}] })).toThrow(/unknown source types: nope/);
  });
});
