#!/usr/bin/env node
// What each org record's attributes cost on the wire: the bench's org events mapped by the
// receiver, then encoded as one LogRecord each (no request framing) with every attribute, and
// again with fewer, with the body as a map or as JSON text. Prints bytes per record (and × the
// event's JSON) and the encoder's CPU per record (median of 10 rounds after 5 warm-up rounds).
// usage: npm run build && node bench/attribute-bytes.js [events]
import { OrgBacklog, orgId } from './lib/org-data.js';

const dist = new URL('../dist/', import.meta.url);
const { mapOrgEvent } = await import(new URL('sources/org-events/map.js', dist));
const { ProtobufWriter } = await import(new URL('otlp/protobuf-writer.js', dist));
const { writeLogRecord } = await import(new URL('otlp/log-record-encoding.js', dist));

const events = Number(process.argv[2] ?? 5_000);
const observedMs = Date.now();
const org = new OrgBacklog({ total: events, baseMs: observedMs - events - 3_600_000 });
const texts = Array.from({ length: events }, (_, i) => org.event(i));
const jsonBytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0) / events;
const records = texts.map((t) => mapOrgEvent(JSON.parse(t), { orgId, sourceName: 'bench-org', observedMs }));

// Attributes that repeat another attribute, a part of the body, or a constant of the source.
const REPEATS = ['user.id', 'geo.country.iso_code', 'atlassian.audit.processed_at', 'atlassian.audit.message', 'atlassian.audit.message_format', 'atlassian.deployment', 'atlassian.product', 'atlassian.source'];
// What the shipped collector configuration and rules route and filter on, plus the record's id.
const ROUTING = ['log.record.uid', 'atlassian.source', 'atlassian.product', 'atlassian.audit.action', 'atlassian.event.category', 'atlassian.event.outcome'];
const only = (keep) => (r) => ({ ...r, attributes: Object.fromEntries(Object.entries(r.attributes).filter(([k]) => keep(k))) });
const jsonBody = (f) => (r) => ({ ...f(r), body: JSON.stringify(r.body) });
const variants = {
  'every attribute': (r) => r,
  'without repeats': only((k) => !REPEATS.includes(k)),
  'routing only': only((k) => ROUTING.includes(k)),
  'routing only, JSON body': jsonBody(only((k) => ROUTING.includes(k))),
  'no attributes': only(() => false),
  'no attributes, JSON body': jsonBody(only(() => false)),
};

const writer = new ProtobufWriter(1 << 20);
process.stdout.write(`org events: ${events}, ${Math.round(jsonBytes)} B of JSON each\n`);
for (const [name, variant] of Object.entries(variants)) {
  const shaped = records.map(variant);
  let bytes = 0;
  for (const r of shaped) {
    writer.reset();
    writeLogRecord(writer, r);
    bytes += writer.length;
  }
  const samples = [];
  for (let round = 0; round < 15; round++) {
    const start = process.cpuUsage();
    for (const r of shaped) {
      writer.reset();
      writeLogRecord(writer, r);
    }
    const used = process.cpuUsage(start);
    if (round >= 5) samples.push((used.user + used.system) / events);
  }
  samples.sort((a, b) => a - b);
  const attrs = Object.keys(shaped[0].attributes).length;
  process.stdout.write(`${name.padEnd(26)} ${String(attrs).padStart(2)} attributes  ${Math.round(bytes / events)} B/record = ${(bytes / events / jsonBytes).toFixed(2)}× JSON  encode ${samples[5].toFixed(2)} µs/record\n`);
}
