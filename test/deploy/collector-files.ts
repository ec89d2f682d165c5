// The collector configuration as the repository ships it: otel-collector/base.yaml plus one
// file per destination, merged the way the collector merges several --config files (maps key by
// key, anything else, lists included, replaced by the later file).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const COLLECTOR_DIR = fileURLToPath(new URL('../../otel-collector/', import.meta.url));
export const DESTINATION_FILES = ['datadog', 'elastic-otel', 'elastic-ecs', 'sumologic', 'sentinel'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readCollectorFile(name: string): Obj {
  const doc: unknown = parse(readFileSync(`${COLLECTOR_DIR}${name}.yaml`, 'utf8'));
  if (!isObj(doc)) throw new Error(`otel-collector/${name}.yaml is not a map`);
  return doc;
}

export function mergeConfigs(base: unknown, next: unknown): unknown {
  if (!isObj(base) || !isObj(next)) return next === undefined ? base : next;
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(next)) out[key] = mergeConfigs(base[key], value);
  return out;
}

/** base.yaml, then the given destination files in order. */
export function collectorConfig(destinations: readonly string[] = DESTINATION_FILES): Obj {
  return [...destinations].reduce<Obj>((acc, d) => mergeConfigs(acc, readCollectorFile(d)) as Obj, readCollectorFile('base'));
}

/** What `${env:NAME:-default}` resolves to with NAME unset (innermost reference first, as the collector does). */
export function envDefault(text: string): string {
  let out = text;
  for (let previous = ''; previous !== out;) {
    previous = out;
    out = out.replace(/\$\{env:[A-Za-z_][A-Za-z0-9_]*:-([^${}]*)\}/, '$1');
  }
  return out;
}
