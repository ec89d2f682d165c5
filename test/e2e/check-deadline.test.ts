import { afterEach, describe, expect, it } from 'vitest';
import { jiraFixtureRecords, startJiraAuditServer, type JiraAuditServer } from '../helpers/jira-audit-server.js';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';
import { runCli, writeConfig } from '../helpers/cli.js';

let jira: JiraAuditServer | undefined;
let collector: TestCollector | undefined;
afterEach(async () => {
  await jira?.close();
  await collector?.close();
});

describe('check against a failing API', () => {
  it('answers within its short retry budget, not the poll\'s 5-minute retryDeadline', async () => {
    jira = await startJiraAuditServer({ auth: { basic: { email: 'secops@acme.example', apiToken: 'tok-check-1' } }, records: jiraFixtureRecords() });
    jira.enqueue(...Array.from({ length: 200 }, () => ({ status: 503 })));
    collector = await startCollector();
    const { file } = writeConfig(`exporter:\n  endpoint: ${collector.url}\nsources:\n  - name: acme-jira\n    type: jira-audit\n    site: ${jira.url}\n    auth: { type: basic, email: secops@acme.example, apiToken: tok-check-1 }\n`);
    const started = Date.now();
    const result = await runCli(['check', '--config', file], { timeoutMs: 30_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^source acme-jira \(jira-audit\): FAILED: the API answered 503; still failing after \d+ attempts/m);
    // CHECK_RETRY_DEADLINE_MS is 5 s; allow start-up and the last backoff step.
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(result.stdout).not.toContain('tok-check-1');
  });
});
