#!/usr/bin/env node
// `npm run bench`: how fast, how lean and how close to the limits the receiver is.
// Every figure comes from this one run, against loopback fake APIs and a loopback OTLP
// collector that run in processes of their own, so ratios hold on a noisy machine.
// Prints one markdown table on stdout (progress on stderr) and writes bench/results.json.
// See bench/README.md for what each row measures and the knobs.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { forkServer } from './lib/ipc.js';
import { benchChildEnv, cliBuilt, ROOT, runReceiver } from './lib/receiver.js';
import { receiverYaml, SOURCES } from './lib/sources.js';
import { formatTable } from './lib/report.js';
import { buildBefore } from './lib/before-build.js';
import { measureLean, NAIVE } from './lib/lean.js';

const FULL = { leanEvents: 100_000, manyOrgs: 200, perOrg: 400, events: 200_000, memoryEvents: 1_000_000, outageSeconds: 20, rateEvents: 150_000, ratePageSize: 500, startupRuns: 5, apiLatencyMs: 250, gzipVariant: true };
// Smoke: every code path, tiny sizes. The rate-limit run uses 50-event pages so that more
// than a minute of simulated catch-up (over 50 requests) takes little real time.
const SMOKE = { leanEvents: 2_000, manyOrgs: 5, perOrg: 200, events: 2_000, memoryEvents: 5_000, outageSeconds: 1, rateEvents: 3_000, ratePageSize: 50, startupRuns: 1, apiLatencyMs: 250, gzipVariant: false };
const SECTIONS = ['lean', 'startup', 'throughput', 'memory', 'outage', 'ratelimit'];
const BACKLOG_SPREAD_MS = 23 * 3_600_000;
/** The commit issue 9 ("lean and scalable") was measured at: the "before" column. */
const BEFORE_REF = 'fdaad5c';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    events: { type: 'string' },
    'memory-events': { type: 'string' },
    'outage-seconds': { type: 'string' },
    'rate-events': { type: 'string' },
    'startup-runs': { type: 'string' },
    'api-latency-ms': { type: 'string' },
    only: { type: 'string' },
    'receiver-node-args': { type: 'string' },
    sources: { type: 'string' },
    out: { type: 'string' },
    'lean-events': { type: 'string' },
    'lean-reps': { type: 'string' },
    before: { type: 'string' },
    strict: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  process.stdout.write(`usage: node bench/run.js [--smoke] [--events N] [--memory-events N] [--outage-seconds S]
       [--lean-events N] [--lean-reps N] [--before REF|none]
       [--rate-events N] [--startup-runs N] [--api-latency-ms MS] [--only ${SECTIONS.join(',')}]
       [--sources org,jira] [--receiver-node-args=--max-old-space-size=128] [--out FILE] [--strict]
Each flag also reads BENCH_<NAME> (e.g. BENCH_EVENTS=20000). --strict exits 1 when a target is missed.
`);
  process.exit(0);
}

const base = flags.smoke || process.env.BENCH_SMOKE === '1' ? SMOKE : FULL;
function setting(flag, env, fallback) {
  const raw = flags[flag] ?? process.env[env];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number`);
  return n;
}
const opts = {
  smoke: base === SMOKE,
  events: setting('events', 'BENCH_EVENTS', base.events),
  memoryEvents: setting('memory-events', 'BENCH_MEMORY_EVENTS', base.memoryEvents),
  outageSeconds: setting('outage-seconds', 'BENCH_OUTAGE_SECONDS', base.outageSeconds),
  rateEvents: setting('rate-events', 'BENCH_RATE_EVENTS', base.rateEvents),
  startupRuns: setting('startup-runs', 'BENCH_STARTUP_RUNS', base.startupRuns),
  apiLatencyMs: setting('api-latency-ms', 'BENCH_API_LATENCY_MS', base.apiLatencyMs),
  ratePageSize: base.ratePageSize,
  leanEvents: setting('lean-events', 'BENCH_LEAN_EVENTS', base.leanEvents),
  leanReps: setting('lean-reps', 'BENCH_LEAN_REPS', 1),
  manyOrgs: base.manyOrgs,
  perOrg: base.perOrg,
  maxConcurrentExports: 4,
  // The receiver as issue 9 measured it; `--before none` leaves the column out.
  before: flags.before ?? process.env.BENCH_BEFORE ?? BEFORE_REF,
  gzipVariant: base.gzipVariant,
  only: new Set((flags.only ?? process.env.BENCH_ONLY ?? SECTIONS.join(',')).split(',').map((s) => s.trim()).filter(Boolean)),
  sources: (flags.sources ?? process.env.BENCH_SOURCES ?? 'org,jira').split(',').map((s) => s.trim()).filter(Boolean),
  out: flags.out ?? process.env.BENCH_OUT ?? join(ROOT, 'bench/results.json'),
  // Node/V8 flags for every receiver process (e.g. heap limits), to evaluate deployment settings.
  receiverNodeArgs: (flags['receiver-node-args'] ?? process.env.BENCH_RECEIVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
};
for (const s of opts.only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (sections: ${SECTIONS.join(', ')})`);
for (const s of opts.sources) if (!SOURCES[s]) throw new Error(`--sources: unknown source ${s} (sources: ${Object.keys(SOURCES).join(', ')})`);

const log = (line) => process.stderr.write(`[bench] ${line}\n`);
let keySeq = 0;
const nextKey = () => `${process.pid.toString(36)}-${(keySeq++).toString(36)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ns = (big) => (big === null || big === undefined ? undefined : BigInt(big));
const msBetween = (a, b) => Number(ns(b) - ns(a)) / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (!cliBuilt()) {
  process.stderr.write('dist/cli.js is missing: run `npm run build` first (npm run bench does).\n');
  process.exit(2);
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  os: `${type()} ${release()}`,
  node: process.version,
  loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
};
const results = { date: new Date().toISOString(), machine, code: gitState(), settings: { ...opts, only: [...opts.only] }, problems: [] };
log(`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

const api = await forkServer(join(ROOT, 'bench/lib/api-process.js'));
// The stand-in decodes each export (about 1 MB of protobuf) into a protobufjs object graph.
// With V8's default young generation, a graph that large is promoted to the old space, and
// the stand-in's CPU then measures its own garbage collection, not the payload: the same
// 500-record export cost it 192 µs per record by default and 57 with a 64 MB semi-space (the
// naive receiver's: 76 and 42). A Go collector has no such cliff, so the stand-in gets room.
const collector = await forkServer(join(ROOT, 'bench/lib/collector-process.js'), { execArgv: ['--max-semi-space-size=64'] });

try {
  if (opts.only.has('lean')) results.lean = await runLean();
  if (opts.only.has('startup')) results.startup = await measureStartup();
  if (opts.only.has('throughput')) results.throughput = await measureThroughput();
  if (opts.only.has('memory')) results.memory = await measureMemory();
  if (opts.only.has('outage')) results.outage = await measureOutage();
  if (opts.only.has('ratelimit')) results.rateLimit = await measureRateLimit();
} finally {
  await api.close();
  await collector.close();
}

results.machine.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
const { table, verdicts } = formatTable(results);
results.verdicts = verdicts;
writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${table}\n`);
log(`results written to ${opts.out}`);
const missed = verdicts.filter((v) => v.pass === false);
if (results.problems.length > 0) {
  for (const p of results.problems) log(`PROBLEM: ${p}`);
  process.exitCode = 1;
} else if (flags.strict && missed.length > 0) {
  process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------

/** Which code was measured: the commit, and how many files differ from it. */
function gitState() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), changedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length };
  } catch {
    return undefined;
  }
}

async function runLean() {
  const variants = [{ name: 'baseline', entry: NAIVE }];
  let beforeUnavailable;
  if (opts.before !== 'none') {
    try {
      log(`lean: building the receiver at ${opts.before} for the "before" column`);
      const b = buildBefore(ROOT, opts.before);
      variants.push({ name: 'before', entry: b.cli, commit: b.commit });
    } catch (err) {
      beforeUnavailable = err.message;
      log(`lean: no "before" column: ${beforeUnavailable}`);
    }
  }
  variants.push({ name: 'after', commit: results.code?.commit });
  // The same drain with the opt-in exporter.bodyFormat: json (throughput, CPU and bytes only).
  variants.push({ name: 'afterJsonBody', commit: results.code?.commit, bodyFormat: 'json', throughputOnly: true });
  // The same drain without the young-generation hold (src/cli/young-generation.ts): its cost and
  // what it saves, measured in every run, interleaved with the others.
  variants.push({ name: 'afterNoHold', commit: results.code?.commit, env: { NODE_OPTIONS: '--max-semi-space-size=16' }, throughputOnly: true });
  const ctx = { api, collector, opts, log, drain, verify, drainFigures, msBetween, nextKey };
  return { ...(await measureLean(ctx, variants)), ...(beforeUnavailable ? { beforeUnavailable } : {}) };
}

/** Registers a backlog, drains it with `once`, and checks the collector got exactly it. */
async function drain({ source, total, protocol, compression, control, collectorMode = 'ack', collectorOpts = {}, maxRetryTime, wrapped = true, command = 'once', extraYaml, entry, bodyFormat, env }) {
  const key = nextKey();
  // The backlog is spread evenly over the 23 hours before the run (ending 2 minutes ago, past
  // any settle delay), inside the default 24 h initialLookback: what a first start finds.
  const stepMs = Math.max(1, Math.floor(BACKLOG_SPREAD_MS / total));
  const baseMs = Date.now() - 120_000 - total * stepMs;
  const ds = await source.register(api, { key, total, baseMs, stepMs });
  await collector.call('reset', { mode: collectorMode, retryAfterS: 1, expect: ds.expect, ...collectorOpts });
  const yaml = receiverYaml({ collectorUrl: collector.url, protocol, compression, maxRetryTime, extra: extraYaml, bodyFormat, sourceBlocks: [source.yaml({ apiUrl: api.url, key })] });
  const run = await runReceiver({ args: [command], yaml, wrapped, control, nodeArgs: opts.receiverNodeArgs, ...(entry ? { entry } : {}), ...(env ? { env } : {}) });
  const apiStats = await api.call('stats', { kind: source.kind, key: ds.statsKey });
  const col = await collector.call('stats');
  await api.call('remove', { kind: source.kind, key: ds.statsKey });
  return { run, apiStats, col, total };
}

function verify({ run, col, total }, what) {
  const problems = [];
  if (run.code !== 0) problems.push(`receiver exited ${run.code ?? run.signal}: ${lastLine(run.stdout + run.stderr)}`);
  if (col.records !== total || col.unique !== total) problems.push(`collector got ${col.records} records (${col.unique} unique) instead of ${total}`);
  if (col.duplicates || col.unexpected) problems.push(`collector saw ${col.duplicates} duplicates and ${col.unexpected} unexpected uids`);
  if (col.sampleMismatches || col.errors.length) problems.push(`full decode of sampled exports disagreed with the scan (${col.sampleMismatches}) or failed: ${col.errors.join('; ')}`);
  if (col.sampled === 0 && total > 0) problems.push('no export was fully decoded');
  if (problems.length) results.problems.push(`${what}: ${problems.join('; ')}`);
  return problems.length === 0;
}

function lastLine(text) {
  return text.trim().split('\n').filter(Boolean).at(-1)?.slice(0, 300) ?? '';
}

/** Figures of one drain: rate from the first API request to the last acknowledged export. */
function drainFigures({ run, apiStats, col, total }, pageSize) {
  const drainMs = msBetween(apiStats.firstRequestNs, col.lastAckNs);
  const minimum = 1000 / pageSize;
  return {
    records: total,
    recordsPerSec: total / (drainMs / 1000),
    cpuUsPerRecord: run.cpuUs / total,
    drainMs,
    wallMs: run.wallMs,
    startupMs: msBetween(run.spawnNs, apiStats.firstRequestNs),
    peakRssMb: run.peakRssMb,
    requests: apiStats.requests,
    emptyPages: apiStats.emptyPages,
    requestsPer1000: (apiStats.requests / total) * 1000,
    minimumPer1000: minimum,
    // one `once` = one poll, which may end on one empty page
    allowedPer1000: minimum + 1000 / total,
    exports: col.requests,
    otlpBytesPerRecord: col.bytes / total,
    jsonBytesPerRecord: apiStats.bytesServed / Math.max(1, apiStats.eventsServed),
    verified: { records: col.records, unique: col.unique, duplicates: col.duplicates, sampledExportsDecoded: col.sampled, sampledRecords: col.sampledRecords },
  };
}

async function measureThroughput() {
  const rows = [];
  const floors = {};
  const variants = [
    { protocol: 'protobuf', compression: 'none' },
    { protocol: 'json', compression: 'none' },
    ...(opts.gzipVariant ? [{ protocol: 'protobuf', compression: 'gzip' }] : []),
  ];
  for (const name of opts.sources) {
    const source = SOURCES[name];
    let unavailable;
    for (const v of variants) {
      const row = { source: name, label: source.label, ...v };
      if (unavailable) {
        rows.push({ ...row, unavailable });
        continue;
      }
      log(`throughput: ${opts.events} ${source.label} -> ${v.protocol}${v.compression === 'gzip' ? '+gzip' : ''}`);
      const d = await drain({ source, total: opts.events, ...v });
      if (name !== 'org' && d.run.code !== 0 && d.col.records === 0) {
        // A source the built receiver does not have (yet): say why, do not count it as a failure.
        unavailable = `the built receiver refused it: ${lastLine(d.run.stderr || d.run.stdout)}`;
        log(`${source.label}: not available (${unavailable})`);
        rows.push({ ...row, unavailable });
        continue;
      }
      const ok = verify(d, `${name} ${v.protocol}/${v.compression}`);
      rows.push({ ...row, ok, ...drainFigures(d, source.pageSize) });
      const key = `${name}/${v.protocol}`;
      if (!(key in floors)) {
        log(`floor: JSON.parse + ${v.protocol} encoding of ${opts.events} ${source.label}`);
        floors[key] = measureFloor({ kind: name, total: opts.events, pageSize: source.pageSize, protocol: v.protocol });
      }
    }
  }
  for (const row of rows) {
    const floor = floors[`${row.source}/${row.protocol}`];
    if (!floor || row.unavailable) continue;
    row.floorRecordsPerSec = floor.recordsPerSec;
    row.floorCpuUsPerRecord = floor.cpuUsPerRecord;
    row.vsFloorRate = floor.recordsPerSec / row.recordsPerSec;
    row.vsFloorCpu = row.cpuUsPerRecord / floor.cpuUsPerRecord;
  }
  for (const key of Object.keys(floors)) if (!floors[key]) delete floors[key];
  return { rows, floors };
}

function measureFloor(args) {
  try {
    const out = execFileSync(process.execPath, ['--expose-gc', join(ROOT, 'bench/lib/floor.js'), JSON.stringify(args)], { maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.toString());
  } catch (err) {
    results.problems.push(`floor ${args.kind}/${args.protocol} failed: ${lastLine(String(err.stderr ?? err.message))}`);
    return undefined;
  }
}

async function measureMemory() {
  log(`memory: draining ${opts.memoryEvents} org events (protobuf+gzip, the default config)`);
  const d = await drain({ source: SOURCES.org, total: opts.memoryEvents, protocol: 'protobuf', compression: 'gzip' });
  const ok = verify(d, 'memory run');
  const fig = drainFigures(d, SOURCES.org.pageSize);
  // RSS through the drain, by quarter of the wall time after the first request.
  const start = msBetween(d.run.spawnNs, d.apiStats.firstRequestNs);
  const during = d.run.samples.filter((s) => s.tMs >= start);
  return { ok, ...fig, rssByQuarterMb: quarters(during, start, d.run.wallMs) };
}

function quarters(samples, fromMs, toMs) {
  const span = (toMs - fromMs) / 4;
  return [0, 1, 2, 3].map((q) => {
    const inQ = samples.filter((s) => s.tMs >= fromMs + q * span && s.tMs < fromMs + (q + 1) * span);
    return inQ.length ? Math.max(...inQ.map((s) => s.rssKb)) / 1024 : null;
  });
}

async function measureOutage() {
  log(`outage: collector answers 503 (Retry-After: 1) for ${opts.outageSeconds} s while ${opts.memoryEvents} org events wait`);
  let firstAttemptMs;
  const control = async (child, { spawnNs }) => {
    for (;;) {
      const col = await collector.call('stats');
      if (col.firstRequestNs) {
        firstAttemptMs = msBetween(spawnNs, col.firstRequestNs);
        break;
      }
      if (child.exitCode !== null) return;
      await sleep(50);
    }
    await sleep(opts.outageSeconds * 1000);
    child.kill('SIGTERM'); // stop fetching
    await sleep(200);
    child.kill('SIGTERM'); // and abandon the batch in flight (it is never acknowledged)
  };
  const d = await drain({ source: SOURCES.org, total: opts.memoryEvents, protocol: 'protobuf', compression: 'gzip', collectorMode: 'down', maxRetryTime: '1h', control });
  const problems = [];
  if (firstAttemptMs === undefined) problems.push(`the receiver never tried to export (exit ${d.run.code}: ${lastLine(d.run.stderr)})`);
  if (d.col.records !== 0 || d.col.acked !== 0) problems.push('the collector acknowledged something while down');
  if (problems.length) results.problems.push(`outage run: ${problems.join('; ')}`);
  const during = d.run.samples.filter((s) => firstAttemptMs !== undefined && s.tMs >= firstAttemptMs && s.tMs <= firstAttemptMs + opts.outageSeconds * 1000);
  const q = quarters(during, firstAttemptMs ?? 0, (firstAttemptMs ?? 0) + opts.outageSeconds * 1000);
  const maxOf = (xs) => Math.max(...xs.filter((x) => x !== null));
  return {
    ok: problems.length === 0,
    outageSeconds: opts.outageSeconds,
    backlog: opts.memoryEvents,
    peakRssMb: d.run.peakRssMb,
    rssByQuarterMb: q,
    // Highest RSS in the second half of the outage minus the highest in the first half: about
    // zero once the heap has settled; a leak (one per retry, say) keeps it growing.
    growthMb: maxOf(q.slice(2)) - maxOf(q.slice(0, 2)),
    apiRequests: d.apiStats.requests,
    eventsFetched: d.apiStats.eventsServed,
    exportAttempts: d.col.requests,
    samples: during.length,
  };
}

async function measureRateLimit() {
  log(`rate limit: catching up ${opts.rateEvents} org events (pages of ${opts.ratePageSize}) at 50 req/min on a simulated clock (API latency ${opts.apiLatencyMs} ms)`);
  await collector.call('reset', { mode: 'ack', expect: { kind: 'org', prefix: 'bench-rate-org:', total: opts.rateEvents } });
  const out = execFileSync(process.execPath, [join(ROOT, 'bench/lib/rate-limit.js'), JSON.stringify({ events: opts.rateEvents, pageSize: opts.ratePageSize, apiLatencyMs: opts.apiLatencyMs, collectorUrl: collector.url })], { maxBuffer: 1 << 20 });
  const r = JSON.parse(out.toString());
  const col = await collector.call('stats');
  const ok = verify({ run: { code: r.ok ? 0 : 1, stdout: r.error ?? '', stderr: '' }, col, total: opts.rateEvents }, 'rate-limit run');
  return { ok, ...r };
}

async function measureStartup() {
  log(`start-up: ${opts.startupRuns} runs each of \`node dist/cli.js once\` and \`run\` to the first API request`);
  const once = [];
  for (let i = 0; i < opts.startupRuns; i++) {
    const d = await drain({ source: SOURCES.org, total: 100, protocol: 'protobuf', compression: 'gzip', wrapped: false });
    verify(d, `start-up run ${i + 1}`);
    once.push(msBetween(d.run.spawnNs, d.apiStats.firstRequestNs));
  }
  // `run` (the service) also starts its health endpoint and self-metrics; stop it once it asked.
  const run = [];
  let runUnavailable;
  for (let i = 0; i < opts.startupRuns && !runUnavailable; i++) {
    let firstNs;
    const control = async (child) => {
      while (child.exitCode === null && child.signalCode === null) {
        const col = await collector.call('stats');
        if (col.lastAckNs) break; // the first page was delivered: the first request long happened
        await sleep(20);
      }
      child.kill('SIGTERM');
    };
    const extraYaml = 'telemetry:\n  health:\n    endpoint: 127.0.0.1:0\n';
    const d = await drain({ source: SOURCES.org, total: 100, protocol: 'protobuf', compression: 'gzip', wrapped: false, command: 'run', extraYaml, control });
    firstNs = d.apiStats.firstRequestNs;
    if (d.run.code !== 0 || !firstNs) runUnavailable = `run exited ${d.run.code ?? d.run.signal}: ${lastLine(d.run.stderr || d.run.stdout)}`;
    else run.push(msBetween(d.run.spawnNs, firstNs));
  }
  // What node itself costs before any of our code runs, for scale.
  const bare = [];
  for (let i = 0; i < opts.startupRuns; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise((resolve) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore', env: benchChildEnv() }).on('close', resolve));
    bare.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const summary = (xs) => ({ runsMs: xs, medianMs: median(xs), minMs: Math.min(...xs), maxMs: Math.max(...xs) });
  return { ...summary(once), run: runUnavailable ? { unavailable: runUnavailable } : summary(run), bareNodeMedianMs: median(bare) };
}
