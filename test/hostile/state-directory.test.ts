// Issue 15, rows 3 and 7, and stale temp files: the state directory as an unlucky operator leaves it.
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';

// Each case starts the CLI a few times; on a loaded 2-core machine one start can take seconds.
const SLOW = 60_000;
vi.setConfig({ testTimeout: 4 * SLOW, hookTimeout: SLOW });

const ORG = 'org-state-dir';
const KEY = 'org-api-key-state-dir-3b';
const env = { TEST_ORG_API_KEY: KEY };
const servers = useOrgServers(ORG, KEY);
const config = (extra = '') => writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, extra }));
const lines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const newEvent = (id: string) => ({ ...fixtureEvents()[0]!, id, attributes: { ...fixtureEvents()[0]!.attributes, processedAt: new Date(Date.now() - 500).toISOString() } });

describe('row 3: an unwritable state directory', () => {
  it('is reported at start-up: exit 2 naming the directory', async () => {
    const { dir, file } = config();
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    writeFileSync(file, orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }).replace('directory: ./state', 'directory: ./not-a-dir/state'));
    const r = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`state directory ${join(dir, 'not-a-dir', 'state')} is not writable (ENOTDIR)`);
    expect(servers.api.requests).toHaveLength(0);
    if (process.getuid?.() !== 0) {
      // Without root, permissions are enforced too.
      const ro = join(dir, 'read-only');
      mkdirSync(ro, { mode: 0o500 });
      writeFileSync(file, orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }).replace('directory: ./state', 'directory: ./read-only'));
      const denied = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
      expect(denied.code).toBe(2);
      expect(denied.stderr).toContain(`state directory ${ro} is not writable (EACCES)`);
    }
  });

  it('a checkpoint write failing later stops that source (no redelivery), shows on /readyz, and recovers when the write succeeds', async () => {
    const { file } = config('    pollInterval: 1s\n');
    const checkpoint = join(dirname(file), 'state', 'acme-org.checkpoint.json');
    const run = startCli(['run', '--config', file], { env, timeoutMs: 4 * SLOW });
    try {
      const listening = await run.waitForLog((l) => l.event === 'health.listening', SLOW);
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === fixtureEvents().length, SLOW);
      // The write's temp file path taken by a directory: the checkpoint stays readable but cannot be
      // replaced (EISDIR), the way a full disk or a read-only volume fails a write, even for root.
      const blocker = `${checkpoint}.${run.child.pid}.tmp`;
      mkdirSync(blocker);
      servers.api.addEvents(newEvent('after-break-1'));
      await run.waitForLog((l) => l.event === 'poll.failed' && l.code === 'CHECKPOINT_WRITE_FAILED', SLOW);
      const delivered = servers.collector.records.length;
      expect(servers.collector.records.filter((r) => r.attributes['log.record.uid'] === `${ORG}:after-break-1`)).toHaveLength(1);
      const apiCalls = servers.api.requests.length;
      // Two more polls fail the same way without fetching or delivering anything.
      const failedBefore = lines(run.stderr()).filter((l) => l.event === 'poll.failed').length;
      await run.waitForLog(() => lines(run.stderr()).filter((l) => l.event === 'poll.failed' && l.code === 'CHECKPOINT_WRITE_FAILED').length >= failedBefore + 2, SLOW);
      expect(servers.collector.records).toHaveLength(delivered);
      expect(servers.api.requests).toHaveLength(apiCalls);
      const ready = await (await fetch(`http://${String(listening.address)}/readyz`)).text();
      expect(ready).toContain('CHECKPOINT_WRITE_FAILED');
      // The disk is fixed: the held checkpoint is written, polling resumes, nothing comes twice.
      rmdirSync(blocker);
      servers.api.addEvents(newEvent('after-fix-1'));
      await servers.collector.waitForRecords(delivered + 1, SLOW);
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === 0, SLOW);
      const uids = servers.collector.records.map((r) => String(r.attributes['log.record.uid']));
      expect(uids.length).toBe(new Set(uids).size);
      expect(existsSync(checkpoint)).toBe(true);
      run.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
    } finally {
      run.kill('SIGKILL');
    }
  });
});

describe('row 7: one process per state directory', () => {
  it('a second process exits 2 naming the holder\'s PID; a lock left by kill -9 is taken over', async () => {
    const { file } = config('    pollInterval: 1h\n');
    const run = startCli(['run', '--config', file], { env, timeoutMs: 4 * SLOW });
    try {
      await run.waitForLog((l) => l.event === 'poll.finished', SLOW);
      const second = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`is in use by another receiver (pid ${run.child.pid}`);
      expect(servers.collector.records).toHaveLength(fixtureEvents().length);
      run.kill('SIGKILL');
      await run.exited;
      const after = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
      expect(after.code, after.stderr).toBe(0);
      expect(lines(after.stderr).find((l) => l.event === 'state.lock_taken_over')).toMatchObject({ previousPid: run.child.pid });
      expect(servers.collector.records).toHaveLength(fixtureEvents().length);
      // Released on a clean exit: the next process needs no takeover.
      const again = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
      expect(again.code).toBe(0);
      expect(again.stderr).not.toContain('state.lock_taken_over');
    } finally {
      run.kill('SIGKILL');
    }
  });
});

describe('stale temp files', () => {
  it('a temp file left by a kill during a checkpoint write is removed at the next start', async () => {
    const { file } = config();
    const state = join(dirname(file), 'state');
    const killed = await runCli(['once', '--config', file], { env: { ...env, AAR_CRASH_AT: 'during-checkpoint-write:2' }, timeoutMs: SLOW });
    expect(killed.signal).toBe('SIGKILL');
    const temps = () => readdirSync(state).filter((f) => f.endsWith('.tmp'));
    expect(temps()).toHaveLength(1);
    const rerun = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(temps()).toHaveLength(0);
    expect(lines(rerun.stderr).some((l) => l.event === 'state.stale_temp_removed' && String(l.file).endsWith(temps.length ? '' : '.tmp'))).toBe(true);
  });
});
