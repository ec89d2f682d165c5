// The issue 9 table: every target, met or missed, with the naive stock-SDK baseline, the
// receiver before (an earlier commit) and after (this checkout), all from one run.

const fix = (n, d = 1) => (n === undefined || n === null || !Number.isFinite(n) ? 'n/a' : n.toFixed(d));
const int = (n) => (n === undefined || n === null || !Number.isFinite(n) ? 'n/a' : Math.round(n).toLocaleString('en-US'));

export const LEAN_TARGET = {
  cpuVsBaseline: 0.5,
  rateVsBaseline: 1.5,
  drainRssMb: 100,
  flatGrowthMb: 10,
  manyOrgsRssMb: 150,
  startupMs: 300,
  startupRssMb: 70,
  bytesVsJson: 1.2,
  jiraPer1000: 1.05,
};

/** Rows `[measure, baseline, before, after, after÷baseline, target, verdict]` and verdicts. */
export function leanRows(results) {
  const lean = results.lean;
  const rows = [];
  const verdicts = [];
  if (!lean) return { rows, verdicts };
  const T = LEAN_TARGET;
  const v = lean.variants;
  const base = v.baseline?.summary;
  const before = v.before?.summary;
  const after = v.after?.summary;
  const add = (measure, cells, target, pass, note = '') => {
    const verdict = pass === undefined ? '' : pass ? 'met' : `**MISSED**${note ? ` (${note})` : ''}`;
    rows.push([measure, ...cells, target, verdict]);
    if (pass !== undefined) verdicts.push({ measure, result: cells[2], target, pass });
  };
  const three = (f, fmt) => [base ? fmt(f(base)) : 'n/a', before ? fmt(f(before)) : 'n/a', after ? fmt(f(after)) : 'n/a'];
  const ratio = (f) => (base && after ? `${fix(f(after) / f(base), 2)}×` : 'n/a');
  const n = int(lean.settings.events);

  if (after && base) {
    const cpuRatio = after.cpuUsPerRecord / base.cpuUsPerRecord;
    add(`CPU per org record (${n} events, protobuf, collector decodes every export)`, [...three((s) => s.cpuUsPerRecord, (x) => `${fix(x)} µs`), ratio((s) => s.cpuUsPerRecord)], `≤ ${T.cpuVsBaseline}× baseline`, cpuRatio <= T.cpuVsBaseline, `${fix(cpuRatio, 2)}×`);
    const rateRatio = after.recordsPerSec / base.recordsPerSec;
    add('Wall throughput, same runs', [...three((s) => s.recordsPerSec, (x) => `${int(x)} rec/s`), ratio((s) => s.recordsPerSec)], `≥ ${T.rateVsBaseline}× baseline`, rateRatio >= T.rateVsBaseline, `${fix(rateRatio, 2)}×`);
    add('Peak RSS, same runs', [...three((s) => s.peakRssMb, (x) => `${fix(x)} MB`), ratio((s) => s.peakRssMb)], 'info', undefined);
    // The collector stand-in's own CPU for the same drains: what decoding each payload costs a collector.
    if (after.collectorCpuUsPerRecord !== undefined) add('Collector CPU per record decoding those exports, same runs', [...three((s) => s.collectorCpuUsPerRecord, (x) => (x === undefined ? 'n/a' : `${fix(x)} µs`)), ratio((s) => s.collectorCpuUsPerRecord)], 'info', undefined);
  }
  // Variants of the same drain (the opt-in body as JSON text; no young-generation hold),
  // reported beside the targets and judged by none.
  const variantRows = (summary, label, measures) => {
    if (!summary || !base) return;
    for (const [measure, f, fmt] of measures) add(`${measure} ${label}`, ['', '', fmt(f(summary)), `${fix(f(summary) / f(base), 2)}×`], 'info', undefined);
  };
  const json = v.afterJsonBody?.summary;
  variantRows(json, 'with `exporter.bodyFormat: json` (opt-in), same drain', [
    ['CPU per org record', (s) => s.cpuUsPerRecord, (x) => `${fix(x)} µs`],
    ['Wall throughput', (s) => s.recordsPerSec, (x) => `${int(x)} rec/s`],
    ['Collector CPU per record', (s) => s.collectorCpuUsPerRecord, (x) => `${fix(x)} µs`],
    ['OTLP protobuf bytes per org record', (s) => s.otlpBytesPerRecord, (x) => `${int(x)} B = ${fix(x / json.jsonBytesPerRecord, 2)}× JSON`],
  ]);
  variantRows(v.afterNoHold?.summary, 'without the young-generation hold (`NODE_OPTIONS=--max-semi-space-size=16`), same drain', [
    ['CPU per org record', (s) => s.cpuUsPerRecord, (x) => `${fix(x)} µs`],
    ['Peak RSS', (s) => s.peakRssMb, (x) => `${fix(x)} MB`],
  ]);
  const m = results.memory;
  if (m) add(`Peak RSS draining ${int(m.records)} org events (default config)`, ['', '', m.ok ? `${fix(m.peakRssMb)} MB (by quarter ${m.rssByQuarterMb.map((x) => fix(x, 0)).join(' / ')})` : 'run failed', ''], `≤ ${T.drainRssMb} MB`, m.ok && m.peakRssMb <= T.drainRssMb, m.ok ? `${fix(m.peakRssMb - T.drainRssMb)} MB over` : 'failed');
  const o = results.outage;
  if (o) {
    const flat = o.ok && o.growthMb < T.flatGrowthMb && o.apiRequests <= 1;
    add(`RSS with the collector down ${o.outageSeconds} s (${int(o.backlog)} waiting)`, ['', '', `${fix(o.peakRssMb)} MB peak, ${o.growthMb >= 0 ? '+' : ''}${fix(o.growthMb)} MB second half vs first, ${o.apiRequests} API request(s)`, ''], `flat (< +${T.flatGrowthMb} MB), fetching paused`, flat, 'not flat');
  }
  const mo = v.after?.manyOrgs;
  const mb = v.before?.manyOrgs;
  if (mo) {
    const label = `${mo.sources} org sources × ${int(mo.records / mo.sources)} events, one process`;
    add(`${label}: peak RSS`, ['', mb ? `${fix(mb.peakRssMb)} MB` : 'n/a', mo.ok ? `${fix(mo.peakRssMb)} MB` : 'run failed', ''], `≤ ${T.manyOrgsRssMb} MB`, mo.ok && mo.peakRssMb <= T.manyOrgsRssMb, mo.ok ? `${fix(mo.peakRssMb - T.manyOrgsRssMb)} MB over` : 'run failed');
    add(`${label}: slowest source's first acknowledged record`, ['', mb ? `${fix(mb.slowestFirstAckS, 2)} s` : 'n/a', `${fix(mo.slowestFirstAckS, 2)} s (median ${fix(mo.medianFirstAckS, 2)} s)`, ''], `within the first poll interval (${mo.pollIntervalS} s)`, mo.ok && mo.slowestFirstAckS <= mo.pollIntervalS);
    const bounded = mo.bound !== undefined && mo.maxConcurrentExports <= mo.bound;
    add(`${label}: most concurrent exports the collector saw`, ['', mb ? String(mb.maxConcurrentExports) : 'n/a', String(mo.maxConcurrentExports), ''], mo.bound === undefined ? 'the configured bound (none configured)' : `≤ the configured bound (${mo.bound})`, bounded, mo.bound === undefined ? 'no bound' : 'over the bound');
  }
  if (after) {
    add('Start-up of `once`: process start to the first API request', [...three((s) => s.startupMs, (x) => `${int(x)} ms`), ratio((s) => s.startupMs)], `≤ ${T.startupMs} ms`, after.startupMs <= T.startupMs, `${int(after.startupMs - T.startupMs)} ms over`);
    add('Start-up of `once` over 100 events: peak RSS', [...three((s) => s.startupRssMb, (x) => `${fix(x)} MB`), ratio((s) => s.startupRssMb)], `≤ ${T.startupRssMb} MB`, after.startupRssMb <= T.startupRssMb, `${fix(after.startupRssMb - T.startupRssMb)} MB over`);
    const bytes = (s) => `${int(s.otlpBytesPerRecord)} B = ${fix(s.otlpBytesPerRecord / s.jsonBytesPerRecord, 2)}× JSON`;
    const bRatio = after.otlpBytesPerRecord / after.jsonBytesPerRecord;
    add(`OTLP protobuf bytes per org record, before gzip (JSON: ${int(after.jsonBytesPerRecord)} B)`, [base ? bytes(base) : 'n/a', before ? bytes(before) : 'n/a', bytes(after), ratio((s) => s.otlpBytesPerRecord)], `≤ ${T.bytesVsJson}× the JSON`, bRatio <= T.bytesVsJson, `${fix(bRatio, 2)}×`);
  }
  const ja = v.after?.jira;
  const jb = v.before?.jira;
  if (ja) {
    const cell = (j) => (j.ok ? `${fix(j.requestsPer1000, 3)} (${j.requests} requests)` : 'run failed');
    add(`API requests per 1,000 Jira records (${int(ja.records)} records, pages of 1,000)`, ['', jb ? cell(jb) : 'n/a', cell(ja), ''], `≤ ${T.jiraPer1000}`, ja.ok && ja.requestsPer1000 <= T.jiraPer1000, `${fix(ja.requestsPer1000, 3)}`);
  }
  return { rows, verdicts };
}

export function leanTable(results) {
  const { rows, verdicts } = leanRows(results);
  if (rows.length === 0) return { table: '', verdicts };
  const v = results.lean.variants;
  const head = `| issue 9 target | baseline: naive stock SDK | before (${v.before?.commit ?? results.lean.beforeUnavailable ?? 'n/a'}) | after (${v.after?.commit ?? 'this checkout'}) | after ÷ baseline | target | verdict |`;
  const lines = [head, '|---|---|---|---|---|---|---|', ...rows.map((r) => `| ${r.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`)];
  return { table: lines.join('\n'), verdicts };
}
