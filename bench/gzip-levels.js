#!/usr/bin/env node
// How the OTLP sink's gzip level was chosen: one 500-event org page, mapped and encoded as
// the receiver does, compressed 40 times at each level. Prints size and CPU per record.
// usage: npm run build && node bench/gzip-levels.js
import { gzipSync } from 'node:zlib';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { receiverResource } from '../dist/otlp/resource.js';
import { toReadableLogRecord } from '../dist/otlp/to-readable.js';
import { mapOrgEvent } from '../dist/sources/org-events/map.js';
import { OrgBacklog } from './lib/org-data.js';

const N = 500;
const page = JSON.parse(new OrgBacklog({ total: N, baseMs: Date.now() - 3_600_000 }).page(0, N, N, 'http://127.0.0.1/').body);
const resource = receiverResource({ name: 'atlassian-audit-receiver', resourceAttributes: {} });
const observedMs = Date.now();
const payload = ProtobufLogsSerializer.serializeRequest(page.data.map((e) => toReadableLogRecord(mapOrgEvent(e, { orgId: 'o', sourceName: 's', observedMs }), resource)));
process.stdout.write(`protobuf ${Math.round(payload.length / N)} B/record (JSON ${Math.round(JSON.stringify(page.data).length / N)} B/record)\n`);
for (const level of [1, 3, 6, 9]) {
  for (let i = 0; i < 5; i++) gzipSync(payload, { level });
  const t0 = process.cpuUsage();
  let out;
  for (let i = 0; i < 40; i++) out = gzipSync(payload, { level });
  const cpu = process.cpuUsage(t0);
  process.stdout.write(`level ${level}: ${((out.length / payload.length) * 100).toFixed(1)}% of the protobuf, ${((cpu.user + cpu.system) / 40 / N).toFixed(2)} µs CPU/record\n`);
}
