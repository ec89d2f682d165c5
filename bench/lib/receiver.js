// Spawns the real receiver (`dist/cli.js`, through receiver-child.js so it reports its own
// CPU time and peak RSS on exit) and samples its RSS from /proc while it runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');
const WRAPPER = join(ROOT, 'bench/lib/receiver-child.js');

/**
 * The receiver's environment: the bench's, minus anything that would redirect or break it, and
 * minus NODE_EXTRA_CA_CERTS: some machines point it at the whole system bundle, which Node 20
 * parses before any code runs (about 55 ms per process here), for baseline and receiver alike.
 */
export function benchChildEnv(extra = {}) {
  const env = {};
  const dropped = new Set(['AAR_CRASH_AT', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS']);
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('OTEL_') && !dropped.has(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

function readProcStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Runs `args` (e.g. ['once']) with a config file written from `yaml`.
 * `wrapped: false` runs dist/cli.js directly (start-up timing: nothing added in front).
 * `control(child, ctx)` may signal the child (e.g. SIGTERM after an outage).
 * `entry`: another program taking the same arguments (the naive baseline, an earlier build).
 */
export async function runReceiver({ args, yaml, env = {}, entry, wrapped = true, sampleMs = 100, timeoutMs = 900_000, control, nodeArgs = [] }) {
  const dir = mkdtempSync(join(tmpdir(), 'aar-bench-'));
  const config = join(dir, 'config.yaml');
  const statsFile = join(dir, 'stats.json');
  writeFileSync(config, yaml);
  const program = wrapped ? WRAPPER : entry ?? CLI;
  const spawnNs = process.hrtime.bigint();
  // BENCH_CPU_PROF_DIR=dir: each receiver writes a V8 CPU profile there (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, ...nodeArgs, program, ...args, '--config', config], {
    env: benchChildEnv({ ...env, BENCH_STATS_FILE: statsFile, ...(entry ? { BENCH_ENTRY: entry } : {}) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    if (stderr.length < 200_000) stderr += d;
  });
  const samples = [];
  const sampler = setInterval(() => {
    const s = readProcStatus(child.pid);
    // An exiting (zombie) process has no VmRSS line: skip it.
    if (s && Number.isFinite(s.rssKb)) samples.push({ tMs: Number(process.hrtime.bigint() - spawnNs) / 1e6, ...s });
  }, sampleMs);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise((resolveExit) => child.on('close', (code, signal) => resolveExit({ code, signal })));
  const controlled = control ? control(child, { samples, spawnNs }) : undefined;
  const { code, signal } = await exited;
  const exitNs = process.hrtime.bigint();
  clearInterval(sampler);
  clearTimeout(killer);
  await controlled;
  const stats = existsSync(statsFile) ? JSON.parse(readFileSync(statsFile, 'utf8')) : undefined;
  rmSync(dir, { recursive: true, force: true });
  const hwmKb = Math.max(0, ...samples.map((s) => s.hwmKb).filter(Number.isFinite));
  return {
    code,
    signal,
    stdout,
    stderr,
    spawnNs,
    exitNs,
    wallMs: Number(exitNs - spawnNs) / 1e6,
    cpuUs: stats ? stats.userUs + stats.systemUs : undefined,
    userUs: stats?.userUs,
    systemUs: stats?.systemUs,
    // The child's own figure when it could write it, else the highest VmHWM sampled.
    peakRssMb: stats ? stats.maxRssKb / 1024 : hwmKb > 0 ? hwmKb / 1024 : undefined,
    samples,
  };
}

export function cliBuilt() {
  return existsSync(CLI);
}
