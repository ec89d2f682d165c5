// Heavy CLI tests get 90 s each: the suite shares two cores with other jobs, and each test starts several processes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli-process.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { generateEvents, startOrgEventsServer, type OrgEvent, type OrgEventsServer } from '../helpers/org-events-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';

const ORG = '00000000-0000-0000-0000-0000000000aa';
const KEY = 'org-api-key-replay-5b2e41';
const env = { TEST_ORG_API_KEY: KEY };
const MIN = 60_000;
const REPLAY_ATTR = 'atlassian.receiver.replay_id';

// Ten days ago, on a whole minute: 40 events one minute apart (processedAt), each happening
// 150-950 ms before it was processed.
const BASE = Math.floor((Date.now() - 10 * 86_400_000) / MIN) * MIN;
const FROM = BASE + 10 * MIN;
const TO = BASE + 20 * MIN;

function events(): OrgEvent[] {
  const regular = generateEvents(40, BASE, MIN);
  const template = regular[0]!;
  // Happened inside the window, processed 25 minutes after it ended: a replay by processing time would miss it.
  const late = { ...template, id: 'late-in-window', attributes: { ...template.attributes, time: new Date(FROM + 90_000).toISOString(), processedAt: new Date(TO + 25 * MIN).toISOString() } };
  // Happened before the window, processed inside it: a replay by processing time would wrongly include it.
  const early = { ...template, id: 'early-before-window', attributes: { ...template.attributes, time: new Date(FROM - 5 * MIN).toISOString(), processedAt: new Date(FROM + 30_000).toISOString() } };
  return [...regular, late, early];
}

const inWindow = (e: OrgEvent) => Date.parse(e.attributes.time) >= FROM && Date.parse(e.attributes.time) <= TO;
const uidOf = (e: OrgEvent) => `${ORG}:${e.id}`;
const uids = (c: TestCollector, from = 0) => c.records.slice(from).map((r) => String(r.attributes['log.record.uid']));

let api: OrgEventsServer;
let collector: TestCollector;
beforeEach(async () => {
  api = await startOrgEventsServer({ orgId: ORG, apiKey: KEY, events: events() });
  collector = await startCollector();
});
afterEach(async () => {
  await api.close();
  await collector.close();
});

describe('replay (org source, real CLI over loopback)', { timeout: 90_000 }, () => {
  it('delivers exactly the window again by event time, with the first delivery\'s uids and the replay id, and leaves the checkpoint byte-for-byte unchanged', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG }));
    const first = await runCli(['once', '--config', file], { env });
    expect(first.code, first.stderr).toBe(0);
    const firstUids = new Set(uids(collector));
    expect(firstUids.size).toBe(events().length);
    const checkpointFile = join(dirname(file), 'state', 'acme-org.checkpoint.json');
    const before = readFileSync(checkpointFile);
    const mtimeBefore = statSync(checkpointFile).mtimeMs;
    const stateFiles = readdirSync(dirname(checkpointFile)).sort();
    const delivered = collector.records.length;

    const replay = await runCli(['replay', '--config', file, '--from', new Date(FROM).toISOString(), '--to', new Date(TO).toISOString(), '--replay-id', 'incident-42'], { env });
    expect(replay.code, replay.stderr).toBe(0);
    const expected = events().filter(inWindow).map(uidOf).sort();
    expect(expected).toContain(`${ORG}:late-in-window`);
    expect(expected).not.toContain(`${ORG}:early-before-window`);
    expect(expected.length).toBeGreaterThan(5);
    const replayed = collector.records.slice(delivered);
    expect(uids(collector, delivered).sort()).toEqual(expected);
    for (const uid of expected) expect(firstUids.has(uid)).toBe(true);
    expect(replayed.every((r) => r.attributes[REPLAY_ATTR] === 'incident-42')).toBe(true);
    expect(collector.records.slice(0, delivered).some((r) => REPLAY_ATTR in r.attributes)).toBe(false);
    // The body and the mapping are the first delivery's.
    const again = replayed[0]!;
    const original = collector.records.find((r) => r.attributes['log.record.uid'] === again.attributes['log.record.uid'])!;
    expect(again.body).toEqual(original.body);
    expect(again.attributes['atlassian.audit.action']).toBe(original.attributes['atlassian.audit.action']);

    expect(readFileSync(checkpointFile).equals(before)).toBe(true);
    expect(statSync(checkpointFile).mtimeMs).toBe(mtimeBefore);
    // Nothing else is written to the state directory either (no lock, no temp file).
    expect(readdirSync(dirname(checkpointFile)).sort()).toEqual(stateFiles);
    expect(replay.stdout).toMatch(new RegExp(`^replay incident-42: ${new Date(FROM).toISOString()}\\.\\.${new Date(TO).toISOString()} \\(event time\\), sources: acme-org$`, 'm'));
    expect(replay.stdout).toMatch(new RegExp(`^acme-org: ok delivered=${expected.length} `, 'm'));
    // The walk read by processing time from the window's start, past its end by the slack, never from the checkpoint.
    const walk = api.requests.filter((r) => r.query.from !== undefined).at(-1)!;
    expect(Number(walk.query.from)).toBe(FROM);
    expect(Number(walk.query.to)).toBeGreaterThanOrEqual(TO + 25 * MIN);
    expect(replay.stderr).not.toContain(KEY);

    // Run again (an interrupted replay is simply re-run): the same records once more, same uids.
    const rerun = await runCli(['replay', '--config', file, '--from', new Date(FROM).toISOString(), '--to', new Date(TO).toISOString()], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    const rerunIds = new Set(collector.records.slice(delivered + expected.length).map((r) => r.attributes[REPLAY_ATTR]));
    expect(rerunIds.size).toBe(1);
    expect([...rerunIds][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(uids(collector, delivered + expected.length).sort()).toEqual(expected);
    expect(readFileSync(checkpointFile).equals(before)).toBe(true);
  });

  it('runs beside a running `run`, which keeps polling and committing on its own', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG, extra: '    pollInterval: 1s\n' }));
    const run = startCli(['run', '--config', file], { env, timeoutMs: 40_000 });
    try {
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === events().length, 15_000);
      const checkpointFile = join(dirname(file), 'state', 'acme-org.checkpoint.json');
      const replay = runCli(['replay', '--config', file, '--from', '10d', '--to', '9d'], { env });
      // While the replay runs, new activity reaches `run`, not the replay.
      const fresh = generateEvents(1, Date.now() - 2_000)[0]!;
      api.addEvents({ ...fresh, id: 'fresh-during-replay' });
      const done = await replay;
      expect(done.code, done.stderr).toBe(0);
      await run.waitForLog((l) => l.event === 'poll.finished' && l.delivered === 1, 15_000);
      const replayedCount = collector.records.filter((r) => REPLAY_ATTR in r.attributes).length;
      expect(done.stdout).toMatch(new RegExp(`^acme-org: ok delivered=${replayedCount} `, 'm'));
      expect(replayedCount).toBeGreaterThan(0);
      expect(collector.records.filter((r) => r.attributes['log.record.uid'] === `${ORG}:fresh-during-replay`).map((r) => REPLAY_ATTR in r.attributes)).toEqual([false]);
      // The live checkpoint is the run's: it moved past the fresh event.
      const stored = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { fromMs: number };
      expect(stored.fromMs).toBe(Date.parse(fresh.attributes.processedAt));
    } finally {
      run.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
    }
  });

  it('refuses a window beyond the org log\'s 180 days with exit 2, naming the limit, before reading anything', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG }));
    const result = await runCli(['replay', '--config', file, '--from', '181d', '--to', '170d'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/acme-org: --from \S+ is beyond what the API keeps: the organization audit log keeps 180 days \(180d\); the oldest time it can replay is \S+/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
    expect(collector.records).toHaveLength(0);
  });

  it('exits 2 with one line for bad flags', async () => {
    const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG }));
    const cases: [string[], RegExp][] = [
      [['--from', 'yesterday'], /--from "yesterday" is not a time/],
      [['--from', '2d', '--to', '3d'], /--from \S+ is after --to/],
      [['--from', '2d', '--source', 'nope'], /--source: no source named "nope"/],
      [['--from', '2d', '--replay-id', 'a b'], /--replay-id/],
    ];
    for (const [flags, message] of cases) {
      const result = await runCli(['replay', '--config', file, ...flags], { env });
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(api.requests).toHaveLength(0);
  });

  it('replays every replayable source by default and names the ones it cannot (Data Center log files); asked for by name, exit 2', async () => {
    const files = `  - name: dc-files\n    type: datacenter-audit-file\n    product: jira\n    paths: ["/var/atlassian/application-data/jira/log/audit/*.audit.log"]\n`;
    const { file } = writeConfig(orgConfig({ apiUrl: api.url, collectorUrl: collector.url, orgId: ORG }) + files);
    const all = await runCli(['replay', '--config', file, '--from', new Date(FROM).toISOString(), '--to', new Date(TO).toISOString()], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^not replayed \(replay is not supported for this type\): dc-files \(datacenter-audit-file\)$/m);
    expect(all.stdout).toMatch(/^acme-org: ok delivered=\d+ /m);
    const named = await runCli(['replay', '--config', file, '--from', '1d', '--source', 'dc-files'], { env });
    expect(named.code).toBe(2);
    expect(named.stderr.trim()).toBe('atlassian-audit-receiver: replay is not supported for dc-files (datacenter-audit-file)');
  });
});
