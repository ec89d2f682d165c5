// The floor: the work no receiver can avoid for the same bytes, measured in a process of
// its own. For every page the fake API would serve: JSON.parse of the page's bytes, then
// the OpenTelemetry serializer the receiver uses encoding that page's LogRecords. The
// LogRecords are built beforehand (for a ring of pages, with the receiver's own mapping)
// so that mapping, validation and HTTP are not part of the floor.
//
// usage: node --expose-gc floor.js '{"kind":"org","total":200000,"pageSize":500,"protocol":"protobuf"}'
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { receiverResource } from '../../dist/otlp/resource.js';
import { toReadableLogRecord } from '../../dist/otlp/to-readable.js';
import { mapOrgEvent } from '../../dist/sources/org-events/map.js';
import { OrgBacklog, orgId } from './org-data.js';
import { JiraBacklog } from './jira-data.js';

const { kind, total, pageSize, protocol } = JSON.parse(process.argv[2]);
const RING = 16;
const serializer = protocol === 'json' ? JsonLogsSerializer : ProtobufLogsSerializer;
const resource = receiverResource({ name: 'atlassian-audit-receiver', resourceAttributes: {} });
const observedMs = Date.now();
const baseMs = observedMs - total - 3_600_000;

let pages = [];
let mapOne;
if (kind === 'org') {
  const backlog = new OrgBacklog({ total, baseMs });
  for (let start = 0; start < total; start += pageSize) pages.push(Buffer.from(backlog.page(start, total, pageSize, 'http://127.0.0.1/admin/v1/orgs/x/events-stream').body));
  mapOne = (raw) => mapOrgEvent(raw, { orgId, sourceName: 'bench-org', observedMs });
  pages.push(Buffer.from(backlog.page(total, total, pageSize, '').body)); // the empty terminal page
} else {
  const { mapJiraRecord } = await import('../../dist/sources/jira-audit/map.js');
  const backlog = new JiraBacklog({ total, baseMs });
  for (let offset = 0; offset < total; offset += pageSize) pages.push(Buffer.from(backlog.page(0, total, offset, pageSize).body));
  mapOne = (raw) => mapJiraRecord(raw, { site: 'http://127.0.0.1:1', siteHost: '127.0.0.1:1', sourceName: 'bench-jira', observedMs });
  pages.push(Buffer.from(backlog.page(0, total, total, pageSize).body));
}
const items = (parsed) => (kind === 'org' ? parsed.data : parsed.records);

// LogRecords equivalent to each page's (same shapes and sizes), for a ring of pages.
const ring = pages.slice(0, RING).map((buf) => items(JSON.parse(buf.toString('utf8'))).map((raw) => toReadableLogRecord(mapOne(raw), resource)));

function pass(limit) {
  let records = 0, bytes = 0;
  for (let p = 0; p < limit; p++) {
    const parsed = JSON.parse(pages[p].toString('utf8'));
    const n = items(parsed).length;
    if (n > 0) {
      const payload = serializer.serializeRequest(ring[p % RING].length === n ? ring[p % RING] : ring[p % RING].slice(0, n));
      bytes += payload.length;
    }
    records += n;
  }
  return { records, bytes };
}

pass(Math.min(pages.length, RING * 2)); // warm-up
globalThis.gc?.();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const { records, bytes } = pass(pages.length);
const wallNs = Number(process.hrtime.bigint() - t0);
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ kind, protocol, records, pages: pages.length, payloadBytes: bytes, wallMs: wallNs / 1e6, cpuUs: cpu.user + cpu.system, recordsPerSec: records / (wallNs / 1e9), cpuUsPerRecord: (cpu.user + cpu.system) / records })}\n`);
