import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { categorizeDcAction } from '../../../src/sources/datacenter/categorize.js';
import { mapDataCenterEvent } from '../../../src/sources/datacenter/map.js';
import { DC_PRODUCTS, type DcProduct } from '../../../src/sources/datacenter/product.js';
import { dcElasticPipelineText, dcFixture } from '../../helpers/datacenter-fixtures.js';

interface ElasticRow { category?: string[]; type?: string[]; outcome?: string }

/** The "Add ECS categorization" script's params of Elastic's pipeline: i18n key (or Cloud summary) -> ECS fields. */
function elasticTable(product: DcProduct): Record<string, ElasticRow> {
  const pipeline = parse(dcElasticPipelineText(product)) as { processors: { script?: { tag?: string; description?: string; params?: Record<string, ElasticRow> } }[] };
  const script = pipeline.processors.map((p) => p.script).find((s) => s?.tag === 'Add ECS categorization' || s?.description === 'Add ECS categorization');
  return script!.params!;
}

/** What Elastic's Painless script does: type [info], then the row for `event.action` (the i18n key) if any. */
function elasticCategorize(table: Record<string, ElasticRow>, actionKey: string): ElasticRow {
  return { type: ['info'], ...(Object.hasOwn(table, actionKey) ? table[actionKey] : {}) };
}

describe.each(DC_PRODUCTS)('%s Data Center categorisation agrees with Elastic\'s ingest pipeline', (product) => {
  const table = elasticTable(product);
  // Cloud rows are keyed by summary text ("User created"); DC events are looked up by i18n key.
  const i18nKeys = Object.keys(table).filter((k) => /^[\w-]+(\.[\w-]+)+$/.test(k));

  it('for every i18n key the pipeline lists', () => {
    expect(i18nKeys.length).toBeGreaterThan(15);
    for (const key of i18nKeys) {
      const ours = categorizeDcAction(product, key);
      const theirs = elasticCategorize(table, key);
      expect({ category: ours.category, type: ours.type, outcome: ours.outcome }, key).toEqual({ category: theirs.category ?? [], type: theirs.type, outcome: theirs.outcome });
    }
  });

  it('for every fixture record of both shapes, through the mapping', () => {
    for (const raw of [...dcFixture(product, 'rest'), ...dcFixture(product, 'file')]) {
      const key = ((raw['type'] ?? raw['auditType']) as { actionI18nKey: string }).actionI18nKey;
      const theirs = elasticCategorize(table, key);
      const a = mapDataCenterEvent(raw, { product, sourceName: 's', observedMs: 0 }).attributes;
      expect(a['atlassian.event.category'], key).toEqual(theirs.category);
      expect(a['atlassian.event.type'], key).toEqual(theirs.type);
      expect(a['atlassian.event.outcome'], key).toEqual(theirs.outcome);
    }
  });

  it('an unknown key is only "info", and a key of another product does not leak in', () => {
    expect(categorizeDcAction(product, 'no.such.key')).toEqual({ category: [], type: ['info'] });
    expect(categorizeDcAction(product, 'toString')).toEqual({ category: [], type: ['info'] });
    const foreign = product === 'bitbucket' ? 'jira.auditing.user.created' : 'bitbucket.service.user.audit.action.usercreated';
    expect(categorizeDcAction(product, foreign).type).toEqual(['info']);
  });
});
