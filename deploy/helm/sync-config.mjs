#!/usr/bin/env node
// Rewrites the `config:` block at the end of deploy/helm/values.yaml from otel-collector.yaml
// (comments kept), adding `null` for the chart's default components this collector does not use.
// Run from the repository root after editing otel-collector.yaml:  node deploy/helm/sync-config.mjs
// test/deploy/helm-values.test.ts fails while the two differ.
import { readFileSync, writeFileSync } from 'node:fs';

const VALUES = 'deploy/helm/values.yaml';
const source = readFileSync('otel-collector.yaml', 'utf8').split('\n');
const body = source.slice(source.indexOf('extensions:')).map((l) => (l.trim() === '' ? '' : `  ${l}`));
while (body.at(-1) === '') body.pop();

const after = {
  '  receivers:': ['    # The chart enables these by default; this collector only takes OTLP/HTTP from the sidecar.',
    '    jaeger: null', '    prometheus: null', '    zipkin: null'],
  '      protocols:': ['        grpc: null'],
  '  processors:': ['    batch: null  # chart default; see "Delivery guarantee" in otel-collector.yaml'],
  '  exporters:': ['    debug: null  # chart default'],
  '    pipelines:': ['      # Chart default pipelines (otlp -> debug); replaced by the ones below.',
    '      logs: null', '      metrics: null', '      traces: null'],
};
const config = body.flatMap((line) => [line, ...(after[line] ?? [])]);

const values = readFileSync(VALUES, 'utf8').split('\n');
const head = values.slice(0, values.indexOf('config:') + 1);
if (head.length === 0) throw new Error(`${VALUES}: no top-level "config:" line`);
writeFileSync(VALUES, [...head, ...config].join('\n') + '\n');
console.log(`${VALUES}: config block rewritten from otel-collector.yaml`);
