/**
 * deploy/sentinel: the KQL parsers project Sentinel's JiraAudit columns and read only attributes
 * the receiver emits; the README's config blocks parse and keep secrets in the environment.
 * No Log Analytics workspace is involved: the KQL is checked as text, never run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emittedAttributeKeys, type CatalogSamples } from '../../src/sources/attribute-catalog.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = `${ROOT}deploy/sentinel/`;

/**
 * The columns Sentinel's JiraAudit parser projects, in order (Azure/Azure-Sentinel,
 * Solutions/AtlassianJiraAudit/Parsers/JiraAudit.yaml, FunctionQuery's final `project`).
 */
const JIRA_AUDIT_COLUMNS = [
  'TimeGenerated', 'EventVendor', 'EventProduct', 'EventId', 'EventMessage', 'SrcIpAddr', 'UserName', 'UserSid',
  'EventCreationTime', 'EventSource', 'ObjectItemId', 'ObjectItemName', 'ObjectItemTypeName', 'ChangedValues',
  'AssociatedItems', 'ObjectItemParentId', 'ObjectItemParentName', 'EventCategoryType',
];

function loadCatalogSamples(): CatalogSamples {
  const dir = `${ROOT}test/fixtures/attribute-catalog/`;
  const samples: Record<string, unknown[]> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.samples.json'))) {
    samples[file.slice(0, -'.samples.json'.length)] = JSON.parse(readFileSync(dir + file, 'utf8')) as unknown[];
  }
  return samples;
}

/** Column names of the last `| project` of a query, comments removed. */
function projectedColumns(kql: string): string[] {
  const code = kql.replace(/\/\/.*$/gm, '');
  const last = code.slice(code.lastIndexOf('| project'));
  return last.replace('| project', '').split(',').map((c) => c.trim().split(/\s*=\s*/)[0]!).filter((c) => c !== '');
}

describe('deploy/sentinel', () => {
  const parser = readFileSync(`${DIR}AtlassianAuditParser.kql`, 'utf8');
  const compat = readFileSync(`${DIR}JiraAuditCompat.kql`, 'utf8');

  it('AtlassianAudit projects the JiraAudit columns first, in order', () => {
    expect(projectedColumns(parser).slice(0, JIRA_AUDIT_COLUMNS.length)).toEqual(JIRA_AUDIT_COLUMNS);
  });

  it('JiraAuditCompat projects exactly the JiraAudit columns, Jira records only', () => {
    expect(projectedColumns(compat)).toEqual(JIRA_AUDIT_COLUMNS);
    expect(compat).toMatch(/^AtlassianAudit\s*\n\| where AtlassianProduct == "jira"/m);
  });

  it('reads only attributes the receiver emits', () => {
    const emitted = emittedAttributeKeys(loadCatalogSamples());
    const read = [...parser.replace(/\/\/.*$/gm, '').matchAll(/Attributes\['([^']+)'\]/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((k) => !emitted.has(k))).toEqual([]);
  });

  it("README config blocks parse and take secrets from the environment", () => {
    const readme = readFileSync(`${DIR}README.md`, 'utf8');
    const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^ {3}/gm, ''));
    expect(yamlBlocks.length).toBeGreaterThan(0);
    for (const block of yamlBlocks) {
      const doc = parse(block) as Record<string, Record<string, Record<string, unknown>>>;
      const exporter = doc.exporters?.azureloganalytics;
      if (!exporter) continue;
      for (const key of ['client_secret', 'client_id', 'tenant_id', 'endpoint']) expect(exporter[key], key).toMatch(/^\$\{env:[A-Z_]+\}$/);
      expect(exporter.stream_name).toBe('Custom-AtlassianAudit_CL');
    }
    for (const block of [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!)) expect(() => JSON.parse(block) as unknown).not.toThrow();
  });
});
