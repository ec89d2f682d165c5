#!/usr/bin/env node
// Why the receiver has its own OTLP protobuf encoder: the same mapped org pages (500 events)
// encoded by @opentelemetry/otlp-transformer's ProtobufLogsSerializer (through the SDK record
// adapter, as the receiver did) and by src/otlp/logs-request-encoder.ts, interleaved, 3 rounds.
// Prints CPU per record and bytes per record of each (the bytes must be equal).
// usage: npm run build && node --expose-gc bench/otlp-encoder.js [events]
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { LogsRequestEncoder } from '../dist/otlp/logs-request-encoder.js';
import { receiverResource } from '../dist/otlp/resource.js';
import { toReadableLogRecord } from '../dist/otlp/to-readable.js';
import { mapOrgEvent } from '../dist/sources/org-events/map.js';
import { RECEIVER_NAME, RECEIVER_VERSION } from '../dist/version.js';
import { OrgBacklog, orgId } from './lib/org-data.js';

const total = Number(process.argv[2] ?? 10_000);
const pageSize = 500;
const observedMs = Date.now();
const backlog = new OrgBacklog({ total, baseMs: observedMs - total - 3_600_000 });
const pages = [];
for (let start = 0; start < total; start += pageSize) {
  const data = JSON.parse(backlog.page(start, total, pageSize, 'http://127.0.0.1/').body).data;
  pages.push(data.map((raw) => mapOrgEvent(raw, { orgId, sourceName: 'bench-org', observedMs })));
}
const resource = receiverResource({ name: 'atlassian-audit-receiver', resourceAttributes: {} });
const ours = new LogsRequestEncoder(resource.attributes, { name: RECEIVER_NAME, version: RECEIVER_VERSION });
const encoders = {
  'otlp-transformer ProtobufLogsSerializer': (records) => ProtobufLogsSerializer.serializeRequest(records.map((r) => toReadableLogRecord(r, resource))),
  'LogsRequestEncoder (src/otlp)': (records) => ours.encode(records),
};
const results = {};
for (let round = 0; round < 4; round++) {
  for (const [name, encode] of Object.entries(encoders)) {
    globalThis.gc?.();
    const cpu0 = process.cpuUsage();
    let bytes = 0, records = 0;
    for (const page of pages) {
      bytes += encode(page).length;
      records += page.length;
    }
    const cpu = process.cpuUsage(cpu0);
    if (round === 0) continue; // warm-up
    (results[name] ??= []).push({ cpuUsPerRecord: (cpu.user + cpu.system) / records, bytesPerRecord: bytes / records });
  }
}
for (const [name, runs] of Object.entries(results)) {
  const cpu = runs.map((r) => r.cpuUsPerRecord.toFixed(2)).join(' / ');
  process.stdout.write(`${name}: ${cpu} µs CPU/record (3 rounds), ${Math.round(runs[0].bytesPerRecord)} B/record\n`);
}
