// Keeps `npm run bench` working: runs it with --smoke (tiny sizes, every section) and checks
// the shape of its table and results.json. No timing thresholds: those belong to the bench.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'aar-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row { source: string; protocol: string; compression: string; ok?: boolean; unavailable?: string; recordsPerSec?: number; cpuUsPerRecord?: number; requestsPer1000?: number; vsFloorRate?: number }
interface Results {
  machine: { cpu: string; cores: number; node: string };
  problems: string[];
  throughput: { rows: Row[]; floors: Record<string, { recordsPerSec: number; cpuUsPerRecord: number }> };
  memory: { ok: boolean; peakRssMb: number; records: number };
  outage: { ok: boolean; peakRssMb: number; apiRequests: number; exportAttempts: number };
  rateLimit: { ok: boolean; usedFraction: number; maxRequestsInAnyWindow: number; limitPerMinute: number; delivered: number; events: number };
  startup: { medianMs: number; runsMs: number[] };
  lean: { variants: Record<string, { summary: { cpuUsPerRecord: number; recordsPerSec: number; otlpBytesPerRecord: number; jsonBytesPerRecord: number; startupMs: number }; throughput: { ok: boolean }[] }> };
  verdicts: { measure: string; pass: boolean }[];
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BENCH_') && !k.startsWith('OTEL_')) env[k] = v;
  const child = spawn(process.execPath, [join(ROOT, 'bench/run.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
  return new Promise((done) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('npm run bench (smoke)', () => {
  it('prints one table and writes results.json with every section measured and verified', { timeout: 180_000 }, async () => {
    const out = join(dir, 'results.json');
    // No "before" build here: it needs the git history and a second compile.
    const { code, stdout, stderr } = await runBench(['--smoke', '--before', 'none', '--out', out]);
    expect(code, stderr).toBe(0);

    const lines = stdout.trim().split('\n');
    const header = lines.indexOf('| # | measure | result | target | verdict |');
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 2);
    expect(rows.every((l) => l.startsWith('| ') && l.endsWith(' |'))).toBe(true);
    for (const n of [1, 2, 3, 4, 5]) expect(rows.some((l) => l.startsWith(`| ${n} |`)), `a row for measure ${n}`).toBe(true);

    // The issue 9 table: the naive stock-SDK baseline next to this receiver.
    const leanHeader = lines.findIndex((l) => l.startsWith('| issue 9 target | baseline: naive stock SDK |'));
    expect(leanHeader).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('| CPU per org record'))).toBe(true);
    expect(lines.some((l) => l.startsWith('| OTLP protobuf bytes per org record'))).toBe(true);

    const r = JSON.parse(readFileSync(out, 'utf8')) as Results;
    for (const name of ['baseline', 'after']) {
      const v = r.lean.variants[name]!;
      expect(v.throughput.every((t) => t.ok), name).toBe(true);
      expect(v.summary.cpuUsPerRecord).toBeGreaterThan(0);
      expect(v.summary.recordsPerSec).toBeGreaterThan(0);
      expect(v.summary.otlpBytesPerRecord).toBeGreaterThan(0);
      expect(v.summary.jsonBytesPerRecord).toBeGreaterThan(0);
      expect(v.summary.startupMs).toBeGreaterThan(0);
    }
    // The opt-in JSON-text body: the same org drain, delivered whole, and fewer bytes than the map body.
    const jsonBody = r.lean.variants.afterJsonBody!;
    expect(jsonBody.throughput.length).toBeGreaterThan(0);
    expect(jsonBody.throughput.every((t) => t.ok)).toBe(true);
    expect(jsonBody.summary.otlpBytesPerRecord).toBeLessThan(r.lean.variants.after!.summary.otlpBytesPerRecord);
    expect(lines.some((l) => l.startsWith('| OTLP protobuf bytes per org record with `exporter.bodyFormat: json`'))).toBe(true);
    // The same drain without the young-generation hold, delivered whole and reported.
    const noHold = r.lean.variants.afterNoHold!;
    expect(noHold.throughput.length).toBeGreaterThan(0);
    expect(noHold.throughput.every((t) => t.ok)).toBe(true);
    expect(lines.some((l) => l.startsWith('| Peak RSS without the young-generation hold'))).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.machine.cores).toBeGreaterThan(0);

    const org = r.throughput.rows.filter((x) => x.source === 'org');
    expect(org.map((x) => x.protocol).sort()).toEqual(['json', 'protobuf']);
    for (const x of r.throughput.rows.filter((row) => !row.unavailable)) {
      expect(x.ok).toBe(true);
      expect(x.recordsPerSec).toBeGreaterThan(0);
      expect(x.cpuUsPerRecord).toBeGreaterThan(0);
      expect(x.requestsPer1000).toBeGreaterThan(0);
      expect(x.vsFloorRate).toBeGreaterThan(0);
    }
    for (const f of Object.values(r.throughput.floors)) {
      expect(f.recordsPerSec).toBeGreaterThan(0);
      expect(f.cpuUsPerRecord).toBeGreaterThan(0);
    }
    expect(r.throughput.floors['org/protobuf']).toBeDefined();

    expect(r.memory.ok).toBe(true);
    expect(r.memory.peakRssMb).toBeGreaterThan(0);
    expect(r.outage.ok).toBe(true);
    expect(r.outage.peakRssMb).toBeGreaterThan(0);
    expect(r.outage.apiRequests).toBeGreaterThanOrEqual(1);
    expect(r.outage.exportAttempts).toBeGreaterThanOrEqual(1);

    expect(r.rateLimit.ok).toBe(true);
    expect(r.rateLimit.delivered).toBe(r.rateLimit.events);
    expect(r.rateLimit.usedFraction).toBeGreaterThan(0);
    expect(r.rateLimit.maxRequestsInAnyWindow).toBeGreaterThan(0);

    expect(r.startup.runsMs.length).toBeGreaterThan(0);
    expect(r.startup.medianMs).toBeGreaterThan(0);
    expect(r.verdicts.length).toBeGreaterThan(5);
    expect(r.verdicts.every((v) => typeof v.pass === 'boolean')).toBe(true);
  });
});
