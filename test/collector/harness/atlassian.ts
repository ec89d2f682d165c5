// The Atlassian side: an organization, a Jira site and a Confluence site on loopback, each
// serving its fixture records, and a receiver config polling all three into a collector.
import { confluenceFixtureRecords, startConfluenceAuditServer, type ConfluenceAuditServer } from '../../helpers/confluence-audit-server.js';
import { jiraFixtureRecords, startJiraAuditServer, type JiraAuditServer } from '../../helpers/jira-audit-server.js';
import { fixtureEvents, startOrgEventsServer, type OrgEventsServer } from '../../helpers/org-events-server.js';
import { runCli, writeConfig, type CliResult } from '../../helpers/cli.js';

export const ORG_ID = '7a1b2c3d-0000-4000-8000-00000000a11e';
const ORG_KEY = 'org-key-collector-e2e-91f0';
const SITE_USER = { email: 'secops@acme.example', apiToken: 'site-token-collector-e2e-3c2' };
export const SOURCES = ['acme-org', 'acme-jira', 'acme-wiki'] as const;

export interface ReceiverOptions {
  pageSize?: number;
  only?: readonly (typeof SOURCES)[number][];
  /** exporter.bodyFormat; absent: the default (map). */
  bodyFormat?: 'map' | 'json';
}

export interface Atlassian {
  readonly org: OrgEventsServer;
  readonly jira: JiraAuditServer;
  readonly wiki: ConfluenceAuditServer;
  /** How many records the three sources hold in total. */
  readonly expectedRecords: number;
  /** A receiver config exporting to `collectorUrl`; `pageSize` small makes many small exports; `only` picks sources. */
  receiverConfig(collectorUrl: string, o?: ReceiverOptions): string;
  close(): Promise<void>;
}

export async function startAtlassian(): Promise<Atlassian> {
  const org = await startOrgEventsServer({ orgId: ORG_ID, apiKey: ORG_KEY, events: fixtureEvents() });
  const jira = await startJiraAuditServer({ auth: { basic: SITE_USER }, records: jiraFixtureRecords() });
  const wiki = await startConfluenceAuditServer({ auth: { basic: SITE_USER }, records: confluenceFixtureRecords() });
  const expectedRecords = fixtureEvents().length + jiraFixtureRecords().length + confluenceFixtureRecords().length;
  const site = (name: string, type: string, url: string, pageSize: number) => `  - name: ${name}
    type: ${type}
    site: ${url}
    auth:
      type: basic
      email: ${SITE_USER.email}
      apiToken: \${TEST_SITE_TOKEN}
    initialLookback: 3650d
    pageSize: ${pageSize}
    requestsPerMinute: 0
    retryDeadline: 20s
`;
  const orgSource = (pageSize: number) => `  - name: acme-org
    type: org-events
    orgId: ${ORG_ID}
    apiKey: \${TEST_ORG_API_KEY}
    baseUrl: ${org.url}
    pageSize: ${pageSize}
    initialLookback: 3650d
    requestsPerMinute: 0
    retryDeadline: 20s
`;
  return {
    org, jira, wiki, expectedRecords,
    receiverConfig: (collectorUrl, o = {}) => `state:
  directory: ./state
exporter:
  endpoint: ${collectorUrl}
  protocol: http/protobuf
  timeout: 10s
  maxRetryTime: 15s
${o.bodyFormat ? `  bodyFormat: ${o.bodyFormat}\n` : ''}telemetry:
  health:
    endpoint: 127.0.0.1:0
sources:
${[orgSource(o.pageSize ?? 25), site('acme-jira', 'jira-audit', jira.url, o.pageSize ?? 1000), site('acme-wiki', 'confluence-audit', wiki.url, o.pageSize ?? 1000)]
  .filter((_, i) => !o.only || o.only.includes(SOURCES[i]!)).join('')}`,
    close: async () => {
      await org.close();
      await jira.close();
      await wiki.close();
    },
  };
}

/** A receiver config file in a fresh temp dir (state next to it). */
export function writeReceiverConfig(atlassian: Atlassian, collectorUrl: string, o?: ReceiverOptions): string {
  return writeConfig(atlassian.receiverConfig(collectorUrl, o)).file;
}

/** `atlassian-audit-receiver once` as a user runs it. */
export function runOnce(configFile: string, timeoutMs = 90_000): Promise<CliResult> {
  return runCli(['once', '--config', configFile], { env: { TEST_ORG_API_KEY: ORG_KEY, TEST_SITE_TOKEN: SITE_USER.apiToken }, timeoutMs });
}

/** `delivered=N` per source from once's summary lines. */
export function deliveredPerSource(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stdout.matchAll(/^(\S+): ok delivered=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}
