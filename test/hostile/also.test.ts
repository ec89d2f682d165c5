// Issue 15, "Also": a collector 413 splits the batch; SIGHUP is logged and ignored; source
// names differing only by case are rejected. (Stale temp files: state-directory.test.ts.)
import { describe, expect, it, vi } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';

// Each case starts the CLI a few times; on a loaded 2-core machine one start can take seconds.
const SLOW = 60_000;
vi.setConfig({ testTimeout: 4 * SLOW, hookTimeout: SLOW });

const ORG = 'org-also';
const KEY = 'org-api-key-also-71';
const env = { TEST_ORG_API_KEY: KEY };
const servers = useOrgServers(ORG, KEY);
const config = (extra = '', pageSize = 3) => writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, pageSize, extra }));
const logs = () => servers.collector.requests.filter((q) => q.path === '/v1/logs');

describe('collector 413: split the batch and retry the halves', () => {
  it('a page the collector refuses as too large is delivered in halves; nothing lost or skipped', async () => {
    servers.collector.enqueue({ status: 413, body: 'request entity too large' }, { status: 413 });
    const { file } = config('', 4);
    const r = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code, r.stderr).toBe(0);
    // 4 refused, its first half (2) refused, then 1 + 1 + 2 accepted, then the other pages whole.
    expect(logs().slice(0, 5).map((q) => [q.recordCount, q.status])).toEqual([[4, 413], [2, 413], [1, 200], [1, 200], [2, 200]]);
    const uids = servers.collector.records.map((x) => String(x.attributes['log.record.uid']));
    expect(uids.sort()).toEqual(fixtureEvents().map((e) => `${ORG}:${e.id}`).sort());
  });

  it('a single record still too large fails the source with what to change, checkpoint unmoved', async () => {
    servers.collector.enqueue(...Array.from({ length: 10 }, () => ({ status: 413 })));
    const { file } = config();
    const r = await runCli(['once', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/acme-org: FAILED OTLP_REJECTED: collector did not accept the batch: collector answered 413.*maximum request size.*max_request_body_size.*pageSize \(a single record is too large, even alone\); the checkpoint was not moved/);
    expect(logs().map((q) => q.recordCount)).toEqual([3, 2, 1]);
    expect(servers.collector.records).toHaveLength(0);
  });
});

describe('SIGHUP', () => {
  it('is logged and ignored by run (no reload, no exit); SIGTERM still stops it cleanly', async () => {
    const { file } = config('    pollInterval: 1h\n');
    const run = startCli(['run', '--config', file], { env, timeoutMs: 4 * SLOW });
    try {
      await run.waitForLog((l) => l.event === 'poll.finished', SLOW);
      run.kill('SIGHUP');
      await run.waitForLog((l) => l.event === 'signal.ignored' && l.signal === 'SIGHUP', SLOW);
      expect(run.child.exitCode).toBeNull();
      run.kill('SIGTERM');
      expect(await run.exited).toEqual({ code: 0, signal: null });
    } finally {
      run.kill('SIGKILL');
    }
  });
});

describe('source names that differ only by case', () => {
  it('are rejected: they would share a checkpoint file on a case-insensitive file system', async () => {
    const { file } = writeConfig(`${orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG })}  - name: ACME-org
    type: org-events
    orgId: ${ORG}
    apiKey: other
    baseUrl: ${servers.api.url}
`);
    const r = await runCli(['check', '--config', file], { env, timeoutMs: SLOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sources[1].name: "ACME-org" differs from sources[0] ("acme-org") only by case');
  });
});
