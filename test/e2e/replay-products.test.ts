import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, writeConfig } from '../helpers/cli.js';
import { confluenceFixtureRecords, startConfluenceAuditServer, type ConfluenceAuditServer } from '../helpers/confluence-audit-server.js';
import { jiraCreated, jiraFixtureRecords, startJiraAuditServer, type JiraAuditServer } from '../helpers/jira-audit-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';
import { dcFixture } from '../helpers/datacenter-fixtures.js';
import { dcEventAt, startDcServer } from '../helpers/datacenter-server.js';

const BASIC = { type: 'basic', email: 'secops@acme.example', apiToken: 'tok-replay-products-1' };
const MIN = 60_000;
const DAY = 86_400_000;
const REPLAY_ATTR = 'atlassian.receiver.replay_id';
const BASE = Math.floor((Date.now() - 20 * DAY) / MIN) * MIN;

let closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c.close()));
  closers = [];
});

async function collectorUp(): Promise<TestCollector> {
  const c = await startCollector();
  closers.push(c);
  return c;
}

function config(collector: TestCollector, source: Record<string, unknown>): string {
  const base = { auth: BASIC, initialLookback: '30d', requestsPerMinute: 0, retryDeadline: '5s', pageSize: 4 };
  return `exporter: { endpoint: "${collector.url}", timeout: 5s, maxRetryTime: 10s }\nsources: ${JSON.stringify([{ ...base, ...source }])}\n`;
}

const uids = (records: TestCollector['records']) => records.map((r) => String(r.attributes['log.record.uid'])).sort();

describe('replay (Jira and Confluence Cloud, real CLI over loopback)', { timeout: 90_000 }, () => {
  it('Jira: delivers exactly the window again with the first delivery\'s uids; the checkpoint is untouched', async () => {
    // 30 records one hour apart, 20 days ago onwards; the window takes hours 5..12.
    const template = jiraFixtureRecords()[0]!;
    const records = Array.from({ length: 30 }, (_, i) => ({ ...structuredClone(template), id: 9000 + i, created: jiraCreated(BASE + i * 60 * MIN) }));
    const jira: JiraAuditServer = await startJiraAuditServer({ auth: { basic: { email: BASIC.email, apiToken: BASIC.apiToken } }, records });
    closers.push(jira);
    const collector = await collectorUp();
    const { file } = writeConfig(config(collector, { name: 'acme-jira', type: 'jira-audit', site: jira.url }));
    const once = await runCli(['once', '--config', file]);
    expect(once.code, once.stderr).toBe(0);
    const checkpointFile = join(dirname(file), 'state', 'acme-jira.checkpoint.json');
    const before = readFileSync(checkpointFile);
    const first = collector.records.length;
    expect(first).toBe(30);

    const from = new Date(BASE + 5 * 60 * MIN).toISOString();
    const to = new Date(BASE + 12 * 60 * MIN).toISOString();
    const replay = await runCli(['replay', '--config', file, '--from', from, '--to', to, '--replay-id', 'jira-r1']);
    expect(replay.code, replay.stderr).toBe(0);
    const replayed = collector.records.slice(first);
    const expected = uids(collector.records.slice(0, first).filter((r) => r.timeUnixNano >= BigInt(Date.parse(from)) * 1_000_000n && r.timeUnixNano <= BigInt(Date.parse(to)) * 1_000_000n));
    expect(expected).toHaveLength(8);
    expect(uids(replayed)).toEqual(expected);
    expect(replayed.every((r) => r.attributes[REPLAY_ATTR] === 'jira-r1')).toBe(true);
    expect(readFileSync(checkpointFile).equals(before)).toBe(true);
    expect(replay.stdout).toMatch(/^acme-jira: ok delivered=8 /m);
    // No retention endpoint exists for Jira: nothing was refused and nothing extra was asked.
    expect(jira.requests.filter((r) => !r.path.endsWith('/auditing/record'))).toEqual([]);
  });

  it('Confluence: refuses a window older than the retention the site reports (exit 2, limit named), replays one inside it', async () => {
    const template = confluenceFixtureRecords()[10]!;
    const records = Array.from({ length: 12 }, (_, i) => ({ ...structuredClone(template), summary: `replay record ${i}`, creationDate: BASE + i * DAY }));
    const wiki: ConfluenceAuditServer = await startConfluenceAuditServer({ auth: { basic: { email: BASIC.email, apiToken: BASIC.apiToken } }, records: [...records].reverse(), retention: { number: 15, units: 'DAYS' } });
    closers.push(wiki);
    const collector = await collectorUp();
    const { file } = writeConfig(config(collector, { name: 'acme-wiki', type: 'confluence-audit', site: wiki.url }));

    const refused = await runCli(['replay', '--config', file, '--from', '16d', '--to', '14d']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/acme-wiki: --from \S+ is beyond what the API keeps: the site's audit retention is 15 days \(\/wiki\/rest\/api\/audit\/retention\) \(15d\); the oldest time it can replay is \S+/);
    expect(wiki.requests.map((r) => r.path)).toEqual(['/wiki/rest/api/audit/retention']);
    expect(collector.records).toHaveLength(0);

    const from = new Date(BASE + 6 * DAY).toISOString();
    const to = new Date(BASE + 9 * DAY).toISOString();
    const ok = await runCli(['replay', '--config', file, '--from', from, '--to', to]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(collector.records.map((r) => (r.body as { summary: string }).summary).sort()).toEqual(['replay record 6', 'replay record 7', 'replay record 8', 'replay record 9']);
    // Same uids as a normal poll of the same records produces.
    const once = await runCli(['once', '--config', file]);
    expect(once.code, once.stderr).toBe(0);
    const polled = collector.records.slice(4).filter((r) => ['replay record 6', 'replay record 7', 'replay record 8', 'replay record 9'].includes((r.body as { summary: string }).summary));
    expect(uids(polled)).toEqual(uids(collector.records.slice(0, 4)));
  });

  it('Data Center: delivers exactly the window again with the first delivery\'s uids; no retention is known, so none is refused', async () => {
    const templates = dcFixture('jira', 'rest');
    const events = Array.from({ length: 20 }, (_, i) => dcEventAt(templates[i % templates.length]!, BASE + i * 60 * MIN, { summary: `dc replay ${i}` }));
    const dc = await startDcServer({ product: 'jira', authorizations: ['Bearer dc-pat-replay-1'], events });
    closers.push(dc);
    const collector = await collectorUp();
    const { file } = writeConfig(config(collector, { name: 'jira-dc', type: 'datacenter-audit', product: 'jira', baseUrl: dc.url, auth: { type: 'pat', token: 'dc-pat-replay-1' } }));
    const once = await runCli(['once', '--config', file]);
    expect(once.code, once.stderr).toBe(0);
    const first = collector.records.length;
    expect(first).toBe(20);
    const checkpointFile = join(dirname(file), 'state', 'jira-dc.checkpoint.json');
    const before = readFileSync(checkpointFile);

    const from = new Date(BASE + 3 * 60 * MIN).toISOString();
    const to = new Date(BASE + 7 * 60 * MIN).toISOString();
    const replay = await runCli(['replay', '--config', file, '--from', from, '--to', to, '--replay-id', 'dc-r1']);
    expect(replay.code, replay.stderr).toBe(0);
    const replayed = collector.records.slice(first);
    const inWindow = collector.records.slice(0, first).filter((r) => r.timeUnixNano >= BigInt(Date.parse(from)) * 1_000_000n && r.timeUnixNano <= BigInt(Date.parse(to)) * 1_000_000n);
    expect(inWindow).toHaveLength(5);
    expect(uids(replayed)).toEqual(uids(inWindow));
    expect(replayed.every((r) => r.attributes[REPLAY_ATTR] === 'dc-r1')).toBe(true);
    expect(readFileSync(checkpointFile).equals(before)).toBe(true);
    expect(replay.stderr).toContain('the Data Center audit API states no retention here');
  });
});
