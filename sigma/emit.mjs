// Runs the receiver's REAL mappings (dist/, the attribute catalog's CATALOG_MAPPERS) over the
// API-shaped event streams in sigma/streams/*.yml and prints, as JSON, what each record would
// be emitted as: its timestamp and its LogRecord attributes. sigma/evaluate.py feeds that to
// the Sigma rules. Build first (`npm run build`).
//
//   node sigma/emit.mjs [streams-dir]
//
// A stream event is { source, record } or, for bursts, { source, repeat, every, record }: the
// record is copied `repeat` times, `every` apart from `start`. In its strings, {{i}} is the
// copy's index, {{time}} its ISO time; a string that is exactly {{epochMs}} or {{epochSecond}}
// becomes that number (Confluence and Data Center files write epochs).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const { CATALOG_MAPPERS } = await import(resolve(here, '../dist/sources/attribute-catalog.js'));
const mappers = new Map(CATALOG_MAPPERS.map((m) => [m.sourceType, m.map]));

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
function duration(text, where) {
  const m = /^(\d+)([smhd])$/.exec(String(text ?? '0s'));
  if (!m) throw new Error(`${where}: every must look like 90s, 5m, 2h or 3d, got ${JSON.stringify(text)}`);
  return Number(m[1]) * UNITS[m[2]];
}

function fill(value, i, ms) {
  if (typeof value === 'string') {
    if (value === '{{epochMs}}') return ms;
    if (value === '{{epochSecond}}') return Math.floor(ms / 1000);
    return value.replaceAll('{{i}}', String(i)).replaceAll('{{time}}', new Date(ms).toISOString());
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, i, ms));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, i, ms)]));
  }
  return value;
}

function emitStream(stream, where) {
  const records = [];
  const unmapped = new Set();
  for (const [n, event] of (stream.events ?? []).entries()) {
    const at = `${where} event ${n + 1}`;
    const map = mappers.get(event.source);
    if (!map) {
      unmapped.add(String(event.source));
      continue;
    }
    const start = Date.parse(event.start ?? '2026-11-30T10:00:00Z');
    if (!Number.isFinite(start)) throw new Error(`${at}: start is not a date: ${event.start}`);
    const every = duration(event.every, at);
    for (let i = 0; i < (event.repeat ?? 1); i++) {
      const emitted = map(fill(event.record, i, start + i * every));
      if (emitted.attributes['atlassian.receiver.schema_error'] !== undefined) {
        throw new Error(`${at}: the mapping rejected the record: ${emitted.attributes['atlassian.receiver.schema_error']}`);
      }
      records.push({ time: new Date(emitted.timeMs).toISOString(), attributes: emitted.attributes });
    }
  }
  return { name: stream.name, records, unmapped: [...unmapped] };
}

const dir = resolve(process.argv[2] ?? join(here, 'streams'));
const out = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml')).sort()) {
  const doc = YAML.parse(readFileSync(join(dir, file), 'utf8'));
  const rule = file.replace(/\.yml$/, '');
  out[rule] = {};
  for (const polarity of ['positive', 'negative']) {
    out[rule][polarity] = (doc[polarity] ?? []).map((s, k) => emitStream(s, `${file} ${polarity}[${k}]`));
  }
}
process.stdout.write(JSON.stringify({ sourceTypes: [...mappers.keys()], streams: out }));
