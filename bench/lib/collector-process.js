// Entry point of the forked fake OTLP/HTTP collector. It acknowledges every export at once
// (empty ExportLogsServiceResponse) or, in `down` mode, answers 503 + Retry-After; only
// after answering does it find each record's `log.record.uid` in the raw body (a byte scan,
// protobuf or JSON) and tick it off in a bitmap of the expected backlog. One export in
// `sampleEvery` is also fully decoded (protobufjs with the vendored OTLP .proto files, or
// JSON.parse) and must yield exactly the uids the scan found.
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { serveIpc } from './ipc.js';

const PROTO_ROOT = fileURLToPath(new URL('../../test/fixtures/opentelemetry-proto/', import.meta.url));
let requestType;
function otlpRequestType() {
  if (requestType) return requestType;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
  root.resolveAll();
  requestType = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
  return requestType;
}

// KeyValue{ key = 1: "log.record.uid" } as protobuf bytes, and as OTLP/JSON text.
const PB_NEEDLE = Buffer.concat([Buffer.from([0x0a, 14]), Buffer.from('log.record.uid')]);
const JSON_NEEDLE = Buffer.from('"key":"log.record.uid","value":{"stringValue":"');

function varint(buf, pos) {
  let value = 0, shift = 0, b;
  do {
    b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, pos];
}

function scanProtobuf(buf) {
  const uids = [];
  let pos = 0;
  while ((pos = buf.indexOf(PB_NEEDLE, pos)) !== -1) {
    let p = pos + PB_NEEDLE.length;
    pos = p;
    if (buf[p] !== 0x12) continue; // value = 2 (AnyValue)
    [, p] = varint(buf, p + 1);
    if (buf[p] !== 0x0a) continue; // string_value = 1
    let len;
    [len, p] = varint(buf, p + 1);
    uids.push(buf.toString('utf8', p, p + len));
    pos = p + len;
  }
  return uids;
}

function scanJson(buf) {
  const uids = [];
  let pos = 0;
  while ((pos = buf.indexOf(JSON_NEEDLE, pos)) !== -1) {
    const start = pos + JSON_NEEDLE.length;
    const end = buf.indexOf(0x22, start);
    uids.push(buf.toString('utf8', start, end));
    pos = end;
  }
  return uids;
}

function decodeUids(buf, json) {
  const request = json ? JSON.parse(buf.toString('utf8')) : otlpRequestType().toObject(otlpRequestType().decode(buf), { longs: String });
  const uids = [];
  for (const rl of request.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const lr of sl.logRecords ?? []) {
        const kv = (lr.attributes ?? []).find((a) => a.key === 'log.record.uid');
        uids.push(kv?.value?.stringValue ?? '(none)');
      }
    }
  }
  return uids;
}

/** Expected uids: `<prefix><id>` where the id encodes the backlog index. */
function indexOf(uid, expect) {
  if (expect.kind === 'orgs') {
    // Many org sources: `<orgId>:<id>`, each org's backlog numbered from 0.
    const colon = uid.indexOf(':');
    const org = expect.orgIndex.get(uid.slice(0, colon + 1));
    if (org === undefined) return -1;
    const i = indexOf(uid, { kind: 'org', prefix: uid.slice(0, colon + 1) });
    return i < 0 || i >= expect.perOrg ? -1 : org * expect.perOrg + i;
  }
  if (expect.kind === 'org') {
    if (!uid.startsWith(expect.prefix)) return -1;
    const tail = uid.slice(expect.prefix.length);
    if (!/^0b0e0000-0000-4000-8000-[0-9a-f]{12}$/.test(tail)) return -1;
    return parseInt(tail.slice(-12), 16);
  }
  // jira: <site host>:<record id>, record id = index + 1
  const m = /:(\d+)$/.exec(uid);
  return m ? Number(m[1]) - 1 : -1;
}

let state;
// decodeAll: decode every export in full before answering, as a real collector does (the
// receiver then waits for that work); ackDelayMs: answer that much later (makes concurrent
// exports visible to inFlight/maxInFlight).
function reset({ mode = 'ack', retryAfterS = 1, expect, sampleEvery = 50, decodeAll = false, ackDelayMs = 0 }) {
  if (expect?.kind === 'orgs') expect = { ...expect, total: expect.prefixes.length * expect.perOrg, orgIndex: new Map(expect.prefixes.map((p, i) => [p, i])) };
  state = {
    mode,
    retryAfterS,
    expect,
    sampleEvery,
    decodeAll,
    ackDelayMs,
    inFlight: 0,
    maxInFlight: 0,
    decodedRecords: 0,
    // Many org sources: when each org's first record was acknowledged.
    firstAckNsByOrg: expect?.kind === 'orgs' ? new Array(expect.prefixes.length).fill(null) : undefined,
    seen: new Uint8Array(expect?.total ?? 0),
    records: 0,
    unique: 0,
    duplicates: 0,
    unexpected: 0,
    requests: 0,
    acked: 0,
    refused: 0,
    bytes: 0,
    firstRequestNs: null,
    lastAckNs: null,
    sampled: 0,
    sampledRecords: 0,
    sampleMismatches: 0,
    // This process's CPU since the reset: with decodeAll, what the receiver's payload costs a collector.
    cpuAtReset: process.cpuUsage(),
    errors: [],
  };
}
reset({});

function account(raw, contentType, contentEncoding, ackNs, decodedBefore) {
  const json = contentType.startsWith('application/json');
  let body = raw;
  try {
    if (contentEncoding === 'gzip') body = gunzipSync(raw);
    const uids = json ? scanJson(body) : scanProtobuf(body);
    const s = state;
    if (decodedBefore || s.requests % s.sampleEvery === 1 || s.sampleEvery === 1) {
      const decoded = decodedBefore ?? decodeUids(body, json);
      s.sampled++;
      s.sampledRecords += decoded.length;
      if (decoded.length !== uids.length || decoded.some((u, i) => u !== uids[i])) s.sampleMismatches++;
    }
    for (const uid of uids) {
      s.records++;
      const i = s.expect ? indexOf(uid, s.expect) : -1;
      if (i < 0 || i >= s.seen.length) s.unexpected++;
      else if (s.seen[i]) s.duplicates++;
      else {
        s.seen[i] = 1;
        s.unique++;
        if (s.firstAckNsByOrg) {
          const org = Math.floor(i / s.expect.perOrg);
          s.firstAckNsByOrg[org] ??= ackNs;
        }
      }
    }
  } catch (err) {
    if (state.errors.length < 5) state.errors.push(String(err));
  }
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  const s0 = state;
  s0.inFlight++;
  s0.maxInFlight = Math.max(s0.maxInFlight, s0.inFlight);
  res.on('close', () => s0.inFlight--);
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const s = state;
    s.requests++;
    s.firstRequestNs ??= process.hrtime.bigint();
    const raw = Buffer.concat(chunks);
    s.bytes += raw.length;
    const contentType = req.headers['content-type'] ?? '';
    const json = contentType.startsWith('application/json');
    if (req.url !== '/v1/logs' || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    if (s.mode === 'down') {
      s.refused++;
      const body = json ? '{"code":14,"message":"collector unavailable (bench)"}' : '';
      res.writeHead(503, { 'content-type': json ? 'application/json' : 'application/x-protobuf', 'retry-after': String(s.retryAfterS), 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    let decoded;
    if (s.decodeAll) {
      try {
        const plain = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        decoded = decodeUids(plain, json);
        s.decodedRecords += decoded.length;
      } catch (err) {
        if (s.errors.length < 5) s.errors.push(`decode: ${err}`);
      }
    }
    const answer = () => {
      const body = json ? '{}' : '';
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      s.acked++;
      s.lastAckNs = process.hrtime.bigint();
      // Counting happens after the answer is on its way.
      account(raw, contentType, req.headers['content-encoding'], s.lastAckNs, decoded);
    };
    if (s.ackDelayMs > 0) setTimeout(answer, s.ackDelayMs);
    else answer();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

serveIpc({
  reset: (a) => void reset(a),
  stats: () => {
    const { seen: _seen, expect: _expect, firstAckNsByOrg, cpuAtReset, ...rest } = state;
    const cpu = process.cpuUsage(cpuAtReset);
    return { ...rest, cpuUs: cpu.user + cpu.system, firstAckNsByOrg: firstAckNsByOrg?.map((n) => n?.toString() ?? null), firstRequestNs: state.firstRequestNs?.toString() ?? null, lastAckNs: state.lastAckNs?.toString() ?? null };
  },
});
process.send({ ready: true, url: `http://127.0.0.1:${server.address().port}` });
