import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvents, startOrgEventsServer, type OrgEventsServer } from '../helpers/org-events-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';

const ORG = 'org-crash';
const KEY = 'crash-api-key-SECRET-91a2';
const OTLP_SECRET = 'otlp-bearer-SECRET-77';
const PAGE = 5;
const EVENTS = generateEvents(27, Date.parse('2026-05-19T10:00:00Z'));
const env = { TEST_ORG_API_KEY: KEY, OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${OTLP_SECRET}` };
const everything: string[] = [];

let api: OrgEventsServer;
beforeAll(async () => {
  api = await startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: EVENTS });
});
afterAll(async () => {
  await api.close();
  // Nothing any process wrote, in any scenario of this file, holds a secret.
  const all = everything.join('\n');
  expect(all.length).toBeGreaterThan(0);
  expect(all).not.toContain(KEY);
  expect(all).not.toContain(OTLP_SECRET);
});

const expected = EVENTS.map((e) => `${ORG}:${e.id}`).sort();
const uids = (c: TestCollector) => c.records.map((r) => String(r.attributes['log.record.uid']));

function record(result: { stdout: string; stderr: string }, file?: string) {
  everything.push(result.stdout, result.stderr);
  if (file) {
    const state = join(dirname(file), 'state');
    if (existsSync(state)) for (const f of readdirSync(state)) everything.push(readFileSync(join(state, f), 'utf8'));
  }
}

// 4 kinds of moment x 5 occurrences = 20 kill points across a 6-page walk.
const POINTS = ['after-fetch', 'after-export', 'during-checkpoint-write', 'after-commit'].flatMap((p) => [1, 2, 3, 4, 5].map((n) => `${p}:${n}`));

describe('kill -9 at 20 points, then restart: nothing lost, duplicates only from the batch in flight', () => {
  it.each(POINTS)('%s', async (point) => {
    const collector = await startCollector();
    try {
      const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG, pageSize: PAGE }));
      const killed = await runCli(['--log-level', 'debug', 'once', '--config', file], { env: { ...env, AAR_CRASH_AT: point } });
      record(killed, file);
      expect(killed.signal).toBe('SIGKILL');
      const rerun = await runCli(['--log-level', 'debug', 'once', '--config', file], { env });
      record(rerun, file);
      expect(rerun.code, rerun.stderr).toBe(0);
      const got = uids(collector);
      expect([...new Set(got)].sort()).toEqual(expected);
      const duplicates = got.length - new Set(got).size;
      // Killed after the export was accepted but before its commit: that one page comes again.
      expect(duplicates).toBeLessThanOrEqual(PAGE);
      if (point.startsWith('after-fetch') || point.startsWith('after-commit')) expect(duplicates).toBe(0);
      if (point.startsWith('after-export') || point.startsWith('during-checkpoint-write')) expect(duplicates).toBe(PAGE);
    } finally {
      await collector.close();
    }
  });
});

describe('checkpoint problems and shutdown', () => {
  it('a corrupt checkpoint stops that source with the file and the way out; --reset-checkpoint recovers', async () => {
    const collector = await startCollector();
    try {
      const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG, pageSize: PAGE }));
      const first = await runCli(['once', '--config', file], { env });
      record(first, file);
      const ckpt = join(dirname(file), 'state', 'acme-org.checkpoint.json');
      writeFileSync(ckpt, '{"v":1,"fromMs":');
      const broken = await runCli(['once', '--config', file], { env });
      record(broken, file);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`acme-org: FAILED CHECKPOINT_CORRUPT: checkpoint for source "acme-org" is unreadable: it is not valid JSON. To start that source again from its initialLookback, run with --reset-checkpoint acme-org or delete ${ckpt}`);
      expect(collector.records).toHaveLength(EVENTS.length);
      writeFileSync(ckpt, '{"v":1,"fromMs":"yesterday","boundaryIds":[]}');
      const wrongShape = await runCli(['once', '--config', file], { env });
      expect(wrongShape.stdout).toContain('it does not have the org-events checkpoint shape');
      const reset = await runCli(['once', '--config', file, '--reset-checkpoint', 'acme-org'], { env });
      record(reset, file);
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stderr).toContain('checkpoint reset');
      const unknown = await runCli(['once', '--config', file, '--reset-checkpoint', 'nope'], { env });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('--reset-checkpoint: no source named "nope"');
    } finally {
      await collector.close();
    }
  });

  it('SIGTERM during a hung export: stops fetching, abandons the batch after the grace period, exits 0 uncommitted', async () => {
    const collector = await startCollector();
    try {
      collector.enqueue({ hangMs: 15_000 });
      const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG, pageSize: PAGE, extra: '    pollInterval: 1h\n' }));
      let pid = 0;
      const started = Date.now();
      const run = runCli(['run', '--config', file], { env, onSpawn: (p) => (pid = p), timeoutMs: 20_000 });
      while (collector.requests.length === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 25));
      const signalled = Date.now();
      process.kill(pid, 'SIGTERM');
      const result = await run;
      record(result, file);
      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(8_000);
      expect(result.stderr).toContain('shutting down');
      expect(existsSync(join(dirname(file), 'state', 'acme-org.checkpoint.json'))).toBe(false);
    } finally {
      await collector.close();
    }
  });

  it('SIGTERM while idle between polls exits 0 at once', async () => {
    const collector = await startCollector();
    try {
      const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG, pageSize: PAGE, extra: '    pollInterval: 1h\n' }));
      let pid = 0;
      const run = runCli(['run', '--config', file], { env, onSpawn: (p) => (pid = p) });
      await collector.waitForRecords(EVENTS.length, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      const signalled = Date.now();
      process.kill(pid, 'SIGTERM');
      const result = await run;
      record(result, file);
      expect(result.code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(2_000);
      expect(result.stderr).toContain('receiver stopped');
    } finally {
      await collector.close();
    }
  });
});
