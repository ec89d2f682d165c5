// The "lean" section (issue 9): the receiver against a naive stock-SDK receiver (the
// baseline, naive-receiver.js) and against itself at an earlier commit ("before"), every
// figure from this one run, so ratios hold on a shared, noisy machine. The variants run
// interleaved (baseline, before, after, baseline, ...) and the collector decodes every
// export in full before it answers, as a real one does.
import { join } from 'node:path';
import { ROOT, runReceiver } from './receiver.js';
import { receiverYaml, SOURCES } from './sources.js';

export const NAIVE = join(ROOT, 'bench/lib/naive-receiver.js');
const BACKLOG_SPREAD_MS = 23 * 3_600_000;
const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * ctx: { api, collector, opts, log, drain, verify, drainFigures, msBetween, nextKey, problems }.
 * variants: [{ name, entry?, bodyFormat?, env?, throughputOnly? }] with entry undefined for this
 * checkout's dist/cli.js; a throughputOnly variant runs the org drain and nothing else.
 */
export async function measureLean(ctx, variants) {
  const { opts, log } = ctx;
  const out = { settings: { events: opts.leanEvents, reps: opts.leanReps, manyOrgs: opts.manyOrgs, perOrg: opts.perOrg, maxConcurrentExports: opts.maxConcurrentExports }, variants: {} };
  for (const v of variants) out.variants[v.name] = { entry: v.entry ?? 'dist/cli.js', commit: v.commit, throughput: [], startup: [] };

  // Throughput, CPU, RSS and bytes: N org events, OTLP protobuf without compression.
  for (let rep = 0; rep < opts.leanReps; rep++) {
    for (const v of variants) {
      log(`lean: ${v.name} drains ${opts.leanEvents} org events (protobuf, collector decodes every export), rep ${rep + 1}`);
      const d = await ctx.drain({ source: SOURCES.org, total: opts.leanEvents, protocol: 'protobuf', compression: 'none', collectorOpts: { decodeAll: true }, entry: v.entry, bodyFormat: v.bodyFormat, env: v.env });
      const ok = ctx.verify(d, `lean ${v.name} throughput`);
      if (!d.apiStats.firstRequestNs || !d.col.lastAckNs) throw new Error(`lean: ${v.name} got no ack: ${JSON.stringify(d.col).slice(0, 600)} ${d.run.stdout.slice(-300)} ${d.run.stderr.slice(-500)}`);
      out.variants[v.name].throughput.push({ ok, ...ctx.drainFigures(d, SOURCES.org.pageSize), userUs: d.run.userUs, systemUs: d.run.systemUs, collectorCpuUsPerRecord: d.col.cpuUs / opts.leanEvents });
    }
  }
  const full = variants.filter((v) => !v.throughputOnly);
  // Start-up: `once` over a 100-event backlog; time to the first API request and peak RSS.
  for (let rep = 0; rep < opts.startupRuns; rep++) {
    for (const v of full) {
      const d = await ctx.drain({ source: SOURCES.org, total: 100, protocol: 'protobuf', compression: 'gzip', entry: v.entry });
      ctx.verify(d, `lean ${v.name} start-up`);
      out.variants[v.name].startup.push({ firstRequestMs: ctx.msBetween(d.run.spawnNs, d.apiStats.firstRequestNs), peakRssMb: d.run.peakRssMb, cpuMs: d.run.cpuUs / 1000 });
    }
  }
  for (const v of variants) {
    const r = out.variants[v.name];
    const t = r.throughput.filter((x) => x.ok);
    r.summary = {
      recordsPerSec: median(t.map((x) => x.recordsPerSec)),
      cpuUsPerRecord: median(t.map((x) => x.cpuUsPerRecord)),
      collectorCpuUsPerRecord: median(t.map((x) => x.collectorCpuUsPerRecord)),
      peakRssMb: median(t.map((x) => x.peakRssMb)),
      otlpBytesPerRecord: median(t.map((x) => x.otlpBytesPerRecord)),
      jsonBytesPerRecord: median(t.map((x) => x.jsonBytesPerRecord)),
      startupMs: median(r.startup.map((x) => x.firstRequestMs)),
      startupRssMb: median(r.startup.map((x) => x.peakRssMb)),
      startupCpuMs: median(r.startup.map((x) => x.cpuMs)),
    };
  }
  // Many sources in one process (the receiver only: the baseline reads one org).
  for (const v of full.filter((x) => x.name !== 'baseline')) {
    log(`lean: ${v.name} runs ${opts.manyOrgs} org sources × ${opts.perOrg} events in one process`);
    out.variants[v.name].manyOrgs = await manyOrgs(ctx, v);
  }
  // Jira: requests per 1,000 records.
  for (const v of full.filter((x) => x.name !== 'baseline')) {
    log(`lean: ${v.name} drains ${opts.leanEvents} Jira records`);
    const d = await ctx.drain({ source: SOURCES.jira, total: opts.leanEvents, protocol: 'protobuf', compression: 'gzip', entry: v.entry });
    const ok = ctx.verify(d, `lean ${v.name} jira`);
    out.variants[v.name].jira = { ok, ...ctx.drainFigures(d, SOURCES.jira.pageSize) };
  }
  return out;
}

/** N org sources, each with its own backlog, in one `once`; the collector answers 20 ms late. */
async function manyOrgs(ctx, v) {
  const { api, collector, opts } = ctx;
  const total = opts.manyOrgs * opts.perOrg;
  const stepMs = Math.max(1, Math.floor(BACKLOG_SPREAD_MS / opts.perOrg));
  const baseMs = Date.now() - 120_000 - opts.perOrg * stepMs;
  const orgs = [];
  for (let i = 0; i < opts.manyOrgs; i++) {
    const key = ctx.nextKey();
    const orgId = `bench-org-${key}`;
    await api.call('addOrg', { orgId, apiKey: `key-${key}`, total: opts.perOrg, baseMs, stepMs });
    orgs.push({ key, orgId });
  }
  await collector.call('reset', { mode: 'ack', decodeAll: true, ackDelayMs: 20, expect: { kind: 'orgs', prefixes: orgs.map((o) => `${o.orgId}:`), perOrg: opts.perOrg } });
  const blocks = orgs.map(({ key, orgId }) => `  - name: ${orgId}
    type: org-events
    orgId: ${orgId}
    apiKey: key-${key}
    baseUrl: ${api.url}
    pageSize: 100
    initialLookback: 24h
    requestsPerMinute: 0
`);
  const bound = v.name === 'after' && opts.maxConcurrentExports ? `pipeline:\n  maxConcurrentExports: ${opts.maxConcurrentExports}\n` : '';
  const yaml = receiverYaml({ collectorUrl: collector.url, protocol: 'protobuf', compression: 'gzip', sourceBlocks: blocks, extra: bound });
  const run = await runReceiver({ args: ['once'], yaml, nodeArgs: opts.receiverNodeArgs, ...(v.entry ? { entry: v.entry } : {}) });
  const col = await collector.call('stats');
  const firstAckS = col.firstAckNsByOrg.map((n) => (n === null ? Number.POSITIVE_INFINITY : ctx.msBetween(run.spawnNs, n) / 1000));
  for (const o of orgs) await api.call('remove', { kind: 'org', key: o.orgId });
  const ok = ctx.verify({ run, col, total }, `lean ${v.name} ${opts.manyOrgs} orgs`);
  return {
    ok,
    sources: opts.manyOrgs,
    records: total,
    peakRssMb: run.peakRssMb,
    cpuUsPerRecord: run.cpuUs / total,
    wallMs: run.wallMs,
    maxConcurrentExports: col.maxInFlight,
    bound: v.name === 'after' ? opts.maxConcurrentExports : undefined,
    slowestFirstAckS: Math.max(...firstAckS),
    medianFirstAckS: median(firstAckS),
    pollIntervalS: 60,
  };
}
