// Issue 15, rows 4, 5, 8, 9, 10: APIs that answer in ways that used to loop, grow, stall or
// forge output, driven through the real CLI against loopback fakes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';
import { jiraCreated, startSiteServer, type SiteServer } from '../helpers/jira-audit-server.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';

// Each case starts the CLI a few times; on a loaded 2-core machine one start can take seconds.
const SLOW = 60_000;
vi.setConfig({ testTimeout: 4 * SLOW, hookTimeout: SLOW });

const ORG = 'org-api-hostile';
const KEY = 'org-api-key-api-hostile-5d';
const env = { TEST_ORG_API_KEY: KEY };
const servers = useOrgServers(ORG, KEY);
const lines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const page = (data: unknown[], next: string | null, replace: [string, string] = ['', '']) => ({
  status: 200,
  body: JSON.stringify({ data, links: next ? { next: `/x?cursor=${next}` } : {}, meta: { next, page_size: 3 } }).replace(...replace),
});
const once = async (extra = '', protocol = 'http/protobuf') => {
  const { file } = writeConfig(orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, protocol, extra }));
  return { file, ...(await runCli(['once', '--config', file], { env, timeoutMs: SLOW })) };
};

describe('row 5: org cursor cycles', () => {
  it('a meta.next that repeats fails the poll with a clear error; the looping cursor is not kept; the next run delivers all', async () => {
    // The oldest three, in processedAt order as the API walks them.
    const [a, b, c] = fixtureEvents().sort((x, y) => x.attributes.processedAt.localeCompare(y.attributes.processedAt));
    servers.api.enqueue(page([a], 'loop-1'), page([b], 'loop-2'), page([c], 'loop-1'));
    const first = await once();
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/acme-org: FAILED ATL_PAGING_LOOP: the API returned a page cursor \(meta\.next\) already followed in this walk/);
    const stored = JSON.parse(readFileSync(join(dirname(first.file), 'state', 'acme-org.checkpoint.json'), 'utf8')) as { cursor?: string };
    expect(stored.cursor).toBeUndefined();
    const second = await runCli(['once', '--config', first.file], { env, timeoutMs: SLOW });
    expect(second.code, second.stderr).toBe(0);
    const uids = servers.collector.records.map((r) => String(r.attributes['log.record.uid']));
    expect([...new Set(uids)].sort()).toEqual(fixtureEvents().map((e) => `${ORG}:${e.id}`).sort());
  });

  it('pages that bring only events already read in this walk fail the poll instead of walking forever', async () => {
    const [a, b] = fixtureEvents();
    servers.api.enqueue(page([a, b], 'c-1'), page([a, b], 'c-2'), page([a, b], 'c-3'));
    const r = await once();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED ATL_PAGING_LOOP: the API returned a page of events already read in this walk/);
    expect(servers.api.requests).toHaveLength(2);
  });
});

describe('row 10: the same id twice in one org page', () => {
  it('is exported once and counted in duplicates_dropped', async () => {
    const [a, b] = fixtureEvents();
    servers.api.enqueue(page([a, a, b], null));
    const r = await once();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/acme-org: ok delivered=2 fetched=3 pages=1 duplicates_dropped=1 /);
    expect(servers.collector.records.filter((x) => x.attributes['log.record.uid'] === `${ORG}:${a!.id}`)).toHaveLength(1);
  });
});

describe('row 8: a record nested thousands of levels deep', () => {
  it.each([['http/protobuf', 5_000], ['http/json', 1_000]])('is delivered over %s with the deep part as JSON text, and a warning names it', async (protocol, depth) => {
    // Written as text: JSON.stringify itself would overflow the stack at this depth.
    const deep = `${'{"d":'.repeat(depth)}{"leaf":"bottom"}${'}'.repeat(depth)}`;
    const event = { ...fixtureEvents()[0]!, id: 'deep-1', attributes: { ...fixtureEvents()[0]!.attributes, deep: '__DEEP__' } };
    servers.api.enqueue(page([event], null, ['"__DEEP__"', deep]));
    const r = await once('', protocol);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rec = servers.collector.records.find((x) => x.attributes['log.record.uid'] === `${ORG}:deep-1`)!;
    expect(rec).toBeDefined();
    let node = (rec.body as { attributes: { deep: unknown } }).attributes.deep;
    while (typeof node === 'object' && node !== null) node = (node as { d: unknown }).d;
    expect(typeof node).toBe('string');
    expect(String(node)).toContain('"leaf":"bottom"');
    expect(lines(r.stderr).find((l) => l.event === 'record.depth_limited')).toMatchObject({ uid: `${ORG}:deep-1` });
  });
});

describe('row 9: API-supplied strings printed to a terminal', () => {
  it('an error code with escapes and a forged summary line is printed as one clean line', async () => {
    const forged = '\u001b[2J\u001b[32mX\nacme-org: ok delivered=999 fetched=999\r';
    servers.api.enqueue({ status: 401, body: JSON.stringify({ errors: [{ code: forged }] }) });
    const r = await once();
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u001f\u007f](?!$)/m);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('acme-org:'))).toHaveLength(1);
    expect(r.stdout).toMatch(/^acme-org: FAILED ATL_HTTP_STATUS: the API answered 401 /m);
  });
});

describe('row 4: a Jira API answering full pages within one millisecond forever', () => {
  let site: SiteServer | undefined;
  afterEach(async () => site?.close());

  it('stops at the hard cap with an error naming the source and the window; requests stay bounded', async () => {
    const at = Date.now() - 30 * 60_000;
    let n = 0;
    site = await startSiteServer({
      product: 'jira',
      auth: { basic: { email: 'a@example.com', apiToken: 'jira-token-hostile' } },
      api: (_rest, query) => {
        const from = Date.parse(query.get('from')!.replace('+0000', 'Z'));
        const to = Date.parse(query.get('to')!.replace('+0000', 'Z'));
        const limit = Number(query.get('limit'));
        const records = from <= at && at <= to
          ? Array.from({ length: limit }, () => ({ id: ++n, summary: 'User created', created: jiraCreated(at), category: 'user management', eventSource: '' }))
          : [];
        return { status: 200, body: { offset: Number(query.get('offset')), limit, total: 0, records } };
      },
    });
    const { file } = writeConfig(`state:
  directory: ./state
exporter:
  endpoint: ${servers.collector.url}
sources:
  - name: hostile-jira
    type: jira-audit
    site: ${site.url}
    auth: { type: basic, email: a@example.com, apiToken: jira-token-hostile }
    pageSize: 10
    requestsPerMinute: 0
    initialLookback: 1h
    settleDelay: 0s
`);
    const r = await runCli(['once', '--config', file], { timeoutMs: SLOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`hostile-jira: FAILED ATL_WINDOW_TOO_LARGE: more than 500 records in the one-millisecond window ${new Date(at).toISOString()}`);
    expect(r.stdout).toContain('source=hostile-jira GET /rest/api/3/auditing/record');
    // Halving an hour down to one millisecond, then 51 pages of it: a few hundred requests, not unbounded.
    expect(site.requests.length).toBeLessThan(1_000);
    expect(servers.collector.records).toHaveLength(0);
  });
});
