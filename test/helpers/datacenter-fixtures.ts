/**
 * The Data Center audit fixtures (test/fixtures/datacenter/, provenance there), by product and
 * shape: `rest` = `/rest/auditing/1.0/events` entities, `file` = `*.audit.log` lines.
 */
import { readFileSync } from 'node:fs';
import type { DcProduct } from '../../src/sources/datacenter/product.js';

export type DcShape = 'rest' | 'file';

const DIR = new URL('../fixtures/datacenter/elastic/', import.meta.url);

const FILES: Readonly<Record<DcProduct, Readonly<Record<DcShape, string>>>> = {
  jira: { rest: 'jira.test-audit-api.log', file: 'jira.audit-file.sample.jsonl' },
  confluence: { rest: 'confluence.rest-entities.mock-server.jsonl', file: 'confluence.test-audit-files.log' },
  bitbucket: { rest: 'bitbucket.rest-entities.mock-server.jsonl', file: 'bitbucket.audit-file.sample.jsonl' },
};

/** Every record of one product and shape, parsed, in file order. */
export function dcFixture(product: DcProduct, shape: DcShape): Record<string, unknown>[] {
  return readFileSync(new URL(FILES[product][shape], DIR), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Elastic's ingest pipeline for a product (categorisation tables). */
export function dcElasticPipelineText(product: DcProduct): string {
  return readFileSync(new URL(`${product}.ingest-pipeline.default.yml`, DIR), 'utf8');
}
