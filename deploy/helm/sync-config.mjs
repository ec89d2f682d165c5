#!/usr/bin/env node
// Rewrites the `config:` block at the end of deploy/helm/values.yaml from otel-collector/:
// base.yaml merged with the destination files named on the command line (default: the five of
// ALL; datadog-otlp or sentinel-managed-identity instead of datadog or sentinel by name),
// the way the collector merges several --config files, plus `null` for the chart's default
// components this collector does not use. The chart keeps its own service.telemetry.
// Run from the repository root:
//   node deploy/helm/sync-config.mjs                        # every destination
//   node deploy/helm/sync-config.mjs datadog elastic-ecs    # only these
// test/deploy/helm-values.test.ts fails while the block differs from all five merged.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const VALUES = 'deploy/helm/values.yaml';
const ALL = ['datadog', 'elastic-otel', 'elastic-ecs', 'sumologic', 'sentinel'];
// Alternatives to one of ALL, chosen by name only (they reuse its pipeline and processor names).
const INSTEAD = { 'datadog-otlp': 'datadog', 'sentinel-managed-identity': 'sentinel' };
const chosen = process.argv.slice(2);
const unknown = chosen.filter((d) => !ALL.includes(d) && !(d in INSTEAD));
if (unknown.length > 0) {
  console.error(`sync-config: unknown destination ${unknown.join(', ')}; choose from ${[...ALL, ...Object.keys(INSTEAD)].join(', ')}`);
  process.exit(2);
}
const both = chosen.filter((d) => d in INSTEAD && chosen.includes(INSTEAD[d]));
if (both.length > 0) {
  console.error(`sync-config: ${both.map((d) => `${d} replaces ${INSTEAD[d]}`).join('; ')}: name one of them`);
  process.exit(2);
}
const destinations = chosen.length > 0 ? chosen : ALL;

const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const merge = (a, b) => {
  if (!isMap(a) || !isMap(b)) return b === undefined ? a : b;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
  return out;
};
const read = (name) => parse(readFileSync(`otel-collector/${name}.yaml`, 'utf8'));
const config = destinations.reduce((acc, d) => merge(acc, read(d)), read('base'));
delete config.service.telemetry;

// The chart's default config (merged with this map by Helm): a `null` removes a key.
const chartDefaults = {
  receivers: { jaeger: null, prometheus: null, zipkin: null, otlp: { protocols: { grpc: null } } },
  processors: { batch: null },
  exporters: { debug: null },
  service: { pipelines: { logs: null, metrics: null, traces: null } },
};
const block = stringify({ config: merge(chartDefaults, config) }, { lineWidth: 0 });

const values = readFileSync(VALUES, 'utf8').split('\n');
const at = values.indexOf('config:');
if (at < 0) throw new Error(`${VALUES}: no top-level "config:" line`);
const head = values.slice(0, at).join('\n');
writeFileSync(VALUES, `${head}\n${block}`);
console.log(`${VALUES}: config block rewritten from otel-collector/base.yaml + ${destinations.join(', ')}.yaml`);
