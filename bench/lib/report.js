// Turns the run's results into the markdown tables, and a verdict per target.
import { leanTable } from './report-lean.js';

const TARGET = {
  recordsPerSec: 30_000,
  vsFloor: 3,
  peakRssMb: 150,
  flatGrowthMb: 10,
  requestsOverPercent: 1,
  rateUsed: 0.95,
  rateLimit: 50,
  startupMs: 500,
};

const int = (n) => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const fix = (n, d = 1) => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : n.toFixed(d));
const pct = (n, d = 1) => `${fix(n * 100, d)}%`;

/** `ok`, or by how much it was missed; `pass` is undefined for figures without a target. */
function judge(pass, shortBy) {
  if (pass === undefined) return { verdict: '', pass };
  return { verdict: pass ? 'ok' : `**MISSED**${shortBy ? ` (${shortBy})` : ''}`, pass };
}

export function formatTable(results) {
  const rows = [];
  const verdicts = [];
  const add = (n, measure, result, target, pass, shortBy) => {
    const j = judge(pass, shortBy);
    rows.push([n, measure, result, target, j.verdict]);
    if (pass !== undefined) verdicts.push({ measure, result, target, pass });
  };
  const failed = (n, measure, why) => {
    rows.push([n, measure, why, '', '**FAILED**']);
    verdicts.push({ measure, result: why, target: 'a verified run', pass: false });
  };

  const t = results.throughput;
  if (t) {
    for (const r of t.rows) {
      const name = `${r.label} → OTLP ${r.protocol === 'json' ? 'JSON' : 'protobuf'}${r.compression === 'gzip' ? ' + gzip' : ''}`;
      const targeted = r.compression === 'none';
      if (r.unavailable) {
        add(1, `Throughput: ${name}`, `not available: ${r.unavailable}`, targeted ? `≥ ${int(TARGET.recordsPerSec)} rec/s` : '', undefined);
        continue;
      }
      if (!r.ok) {
        failed(1, `Throughput: ${name}`, 'the collector did not get exactly the backlog (see problems in results.json)');
        continue;
      }
      const result = `${int(r.recordsPerSec)} rec/s · ${fix(r.cpuUsPerRecord)} µs CPU/rec · ${int(r.records)} records in ${fix(r.drainMs / 1000, 2)} s`;
      const pass = targeted ? r.recordsPerSec >= TARGET.recordsPerSec : undefined;
      add(1, `Throughput: ${name}${targeted ? '' : ' (default config)'}`, result, targeted ? `≥ ${int(TARGET.recordsPerSec)} rec/s` : 'info', pass, pass === false ? `${pct(1 - r.recordsPerSec / TARGET.recordsPerSec, 0)} short` : undefined);
    }
    for (const [key, f] of Object.entries(t.floors)) {
      const [source, protocol] = key.split('/');
      const label = t.rows.find((r) => r.source === source)?.label ?? source;
      add(2, `Floor: JSON.parse + ${protocol === 'json' ? 'OTLP JSON' : 'OTLP protobuf'} encoding, same ${label} pages`, `${int(f.recordsPerSec)} rec/s · ${fix(f.cpuUsPerRecord)} µs CPU/rec`, '', undefined);
    }
    for (const r of t.rows) {
      if (r.unavailable || !r.ok || r.vsFloorRate === undefined) continue;
      const targeted = r.compression === 'none';
      const name = `${r.label}, ${r.protocol === 'json' ? 'JSON' : 'protobuf'}${r.compression === 'gzip' ? ' + gzip (floor has no gzip)' : ''}`;
      const pass = targeted ? r.vsFloorRate <= TARGET.vsFloor : undefined;
      add(2, `Receiver ÷ floor: ${name}`, `${fix(r.vsFloorRate, 2)}× slower (rec/s) · ${fix(r.vsFloorCpu, 2)}× the CPU per record`, targeted ? `≤ ${TARGET.vsFloor}×` : 'info', pass, pass === false ? `${fix(r.vsFloorRate / TARGET.vsFloor, 2)}× the allowed ratio` : undefined);
    }
  }

  const m = results.memory;
  if (m) {
    if (!m.ok) failed(3, `Peak RSS draining ${int(m.records)} events`, 'the collector did not get exactly the backlog');
    else {
      const pass = m.peakRssMb < TARGET.peakRssMb;
      add(3, `Peak RSS draining ${int(m.records)} org events (protobuf + gzip)`, `${fix(m.peakRssMb)} MB · max RSS by quarter of the drain ${m.rssByQuarterMb.map((x) => fix(x, 0)).join(' / ')} MB · ${int(m.recordsPerSec)} rec/s`, `< ${TARGET.peakRssMb} MB`, pass, pass ? undefined : `${fix(m.peakRssMb - TARGET.peakRssMb)} MB over`);
    }
  }
  const o = results.outage;
  if (o) {
    if (!o.ok) failed(3, 'Peak RSS with the collector down', 'the run did not behave (see problems in results.json)');
    else {
      const paused = o.apiRequests <= 1;
      const flat = o.growthMb < TARGET.flatGrowthMb;
      const pass = o.peakRssMb < TARGET.peakRssMb && flat && paused;
      const why = !paused ? `${o.apiRequests} API requests: fetching did not pause` : !flat ? `grew ${fix(o.growthMb)} MB from the first half to the second` : `${fix(o.peakRssMb - TARGET.peakRssMb)} MB over`;
      const sign = (x) => `${x >= 0 ? '+' : ''}${fix(x)}`;
      add(3, `Peak RSS with the collector down for ${o.outageSeconds} s (${int(o.backlog)} events waiting)`, `${fix(o.peakRssMb)} MB · max RSS by quarter of the outage ${o.rssByQuarterMb.map((x) => fix(x, 0)).join(' / ')} MB (${sign(o.growthMb)} MB from the first half to the second) · ${o.apiRequests} API request(s), ${int(o.eventsFetched)} events fetched, ${o.exportAttempts} export attempts`, `< ${TARGET.peakRssMb} MB; flat: one page fetched, second half < first half + ${TARGET.flatGrowthMb} MB`, pass, pass ? undefined : why);
    }
  }

  if (t) {
    for (const r of t.rows) {
      if (r.unavailable || !r.ok || r.compression !== 'none' || r.protocol !== 'protobuf') continue;
      const over = r.requestsPer1000 / r.allowedPer1000 - 1;
      const pass = over <= TARGET.requestsOverPercent / 100;
      add(4, `API requests per 1,000 ${r.label} (page size ${int(1000 / r.minimumPer1000)})`, `${fix(r.requestsPer1000, 3)} (${r.requests} requests, ${r.emptyPages} empty; minimum ${fix(r.minimumPer1000, 3)}, + one empty page ${fix(r.allowedPer1000, 3)})`, `≤ ${fix(r.allowedPer1000 * (1 + TARGET.requestsOverPercent / 100), 3)}`, pass, pass ? undefined : `${pct(over)} over`);
    }
  }
  const rl = results.rateLimit;
  if (rl) {
    if (!rl.ok || rl.usedFraction === null) failed(4, 'Allowed request rate used while catching up', rl.error ?? 'no complete 60 s window');
    else {
      const pass = rl.usedFraction >= TARGET.rateUsed && rl.maxRequestsInAnyWindow <= rl.limitPerMinute;
      const why = rl.maxRequestsInAnyWindow > rl.limitPerMinute ? `${rl.maxRequestsInAnyWindow} requests in one 60 s window` : `${pct(TARGET.rateUsed - rl.usedFraction)} short`;
      add(4, `Allowed request rate used catching up ${int(rl.events)} org events (${rl.limitPerMinute} req/min × ${rl.pageSize}-event pages, simulated clock, ${rl.apiLatencyMs} ms API latency)`, `${pct(rl.usedFraction)} · ${int(rl.eventsPerMinute)} events/min of ${int(rl.ceilingEventsPerMinute)} · at most ${rl.maxRequestsInAnyWindow} requests in any 60 s window as the API saw them (${rl.limitPerMinute + 1} requests took ≥ ${int(rl.shortestSpanOfLimitPlusOneMs)} ms) · ${fix(rl.simulatedMinutes)} simulated min in ${fix(rl.realSeconds)} s`, `≥ ${pct(TARGET.rateUsed, 0)}, never > ${rl.limitPerMinute} per 60 s`, pass, pass ? undefined : why);
    }
  }

  const s = results.startup;
  if (s) {
    const pass = s.medianMs < TARGET.startupMs;
    add(5, 'Start-up: process start to first API request, `once`', `${int(s.medianMs)} ms median of ${s.runsMs.length} (${int(s.minMs)}–${int(s.maxMs)}; bare \`node -e ""\`: ${int(s.bareNodeMedianMs)} ms)`, `< ${TARGET.startupMs} ms`, pass, pass ? undefined : `${int(s.medianMs - TARGET.startupMs)} ms over`);
    if (s.run?.unavailable) add(5, 'Start-up: process start to first API request, `run`', `not available: ${s.run.unavailable}`, `< ${TARGET.startupMs} ms`, undefined);
    else if (s.run) {
      const runPass = s.run.medianMs < TARGET.startupMs;
      add(5, 'Start-up: process start to first API request, `run` (health endpoint and self-metrics on)', `${int(s.run.medianMs)} ms median of ${s.run.runsMs.length} (${int(s.run.minMs)}–${int(s.run.maxMs)})`, `< ${TARGET.startupMs} ms`, runPass, runPass ? undefined : `${int(s.run.medianMs - TARGET.startupMs)} ms over`);
    }
  }

  const mc = results.machine;
  const header = `Benchmark ${results.date} · ${mc.cpu}, ${mc.cores} cores, ${mc.memoryGb} GB · ${mc.os} · node ${mc.node} · load ${mc.loadAverageAtStart.join(' ')}${results.code ? ` · code ${results.code.commit}${results.code.changedFiles ? ` + ${results.code.changedFiles} changed files` : ''}` : ''}${results.settings.receiverNodeArgs.length ? ` · receiver run with \`${results.settings.receiverNodeArgs.join(' ')}\`` : ''}${results.settings.smoke ? ' · SMOKE (tiny sizes, figures not meaningful)' : ''}\n\n`;
  const lines = ['| # | measure | result | target | verdict |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`)];
  const lean = leanTable(results);
  return { table: header + (lean.table ? `${lean.table}\n\n` : '') + lines.join('\n'), verdicts: [...lean.verdicts, ...verdicts] };
}
