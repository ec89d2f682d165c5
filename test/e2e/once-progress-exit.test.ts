import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { generateEvents, startOrgEventsServer, type OrgEventsServer } from '../helpers/org-events-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';

const ORG = '00000000-0000-0000-0000-000000000000';
const KEY = 'org-api-key-progress-41c9aa';
const env = { TEST_ORG_API_KEY: KEY };
const DAY = 86_400_000;
const EVENTS = 60;
const PAGE = 5;

let api: OrgEventsServer;
let collector: TestCollector;
beforeEach(async () => {
  // Sixty events, one every 12 hours over the last 30 days: a small backfill with a real event-time span.
  api = await startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: generateEvents(EVENTS, Date.now() - 30 * DAY, DAY / 2) });
  collector = await startCollector();
});
afterEach(async () => {
  await api.close();
  await collector.close();
});

/** Each API page takes `ms` to answer, so the catch-up lasts long enough to report on. */
function slowPages(ms: number): void {
  for (let i = 0; i <= EVENTS / PAGE; i++) api.enqueue({ hangMs: ms });
}

const config = () => writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG, pageSize: PAGE })).file;
const jsonLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('once: backfill progress', () => {
  it('reports delivered, rate, position against the target and time left every --progress-interval on stderr', async () => {
    slowPages(150);
    const started = Date.now();
    const result = await runCli(['once', '--config', config(), '--progress-interval', '300ms'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^acme-org: ok delivered=${EVENTS} `, 'm'));
    const reports = jsonLines(result.stderr).filter((l) => l['event'] === 'backfill.progress');
    expect(reports.length, result.stderr).toBeGreaterThanOrEqual(3);
    for (const r of reports) {
      expect(r).toMatchObject({ level: 'info', msg: 'backfill progress', source: 'acme-org' });
      expect(r['delivered']).toBeGreaterThan(0);
      expect(r['recordsPerSecond']).toEqual(expect.any(Number));
      const target = Date.parse(String(r['target']));
      expect(target).toBeGreaterThanOrEqual(started);
      expect(Date.parse(String(r['eventsTo']))).toBeLessThanOrEqual(target);
      expect(Date.parse(String(r['eventsFrom']))).toBeLessThan(Date.parse(String(r['eventsTo'])));
      expect(r['percent']).toBeGreaterThan(0);
      expect(r['percent']).toBeLessThanOrEqual(100);
      expect(r['remainingSeconds']).toBeGreaterThanOrEqual(0);
    }
    const delivered = reports.map((r) => Number(r['delivered']));
    expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
    expect(delivered.at(-1)).toBeLessThanOrEqual(EVENTS);
    // Nothing but JSON lines on stderr when it is not a terminal.
    expect(result.stderr.split('\n').filter((l) => l && !l.startsWith('{'))).toEqual([]);
  });

  it('prints one plain line per report on a terminal', async () => {
    slowPages(150);
    const file = config();
    // `script` gives the CLI a pseudo-terminal, as a person at a shell would.
    const cmd = `${process.execPath} ${CLI} once --config ${file} --progress-interval 300ms`;
    const out = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    const lines = out.split(/\r?\n/).filter((l) => l.startsWith('acme-org: ') && l.includes(' events, '));
    expect(lines.length, out).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^acme-org: \d+ events, [\d.,]+\/s, at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ of \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(\d+\.\d%\), (about (\d+[smhd] ?)+ left|time left unknown)$/);
    expect(out).toMatch(new RegExp(`acme-org: ok delivered=${EVENTS} `));
  });
});

describe('exit codes a scheduler can trust', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('once stopped by %s exits %i, says INTERRUPTED and commits nothing unacknowledged', async (signal, code) => {
    api.enqueue({ hangMs: 15_000 });
    let pid = 0;
    const run = runCli(['once', '--config', config()], { env, onSpawn: (p) => (pid = p) });
    const deadline = Date.now() + 10_000;
    while (api.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    process.kill(pid, signal);
    const result = await run;
    expect(result.code, result.stderr).toBe(code);
    expect(result.stdout).toMatch(/^acme-org: INTERRUPTED delivered=0 /m);
    expect(collector.records).toHaveLength(0);
  });

  it('demo exits 1 with one FAILED line when the collector rejects the records', async () => {
    collector.enqueue({ status: 400, body: JSON.stringify({ code: 3, message: 'invalid request' }), headers: { 'content-type': 'application/json' } });
    const result = await runCli(['demo', '--endpoint', collector.url]);
    expect(result.code, result.stderr).toBe(1);
    const failed = result.stdout.split('\n').filter((l) => l.includes('FAILED'));
    expect(failed).toEqual([expect.stringMatching(/^demo-org: FAILED OTLP_REJECTED: collector did not accept the batch: collector answered 400: invalid request/)]);
    // Printed once: the summary line says it, the log does not repeat it.
    expect(result.stderr).not.toContain('collector answered 400');
  });
});
