import { describe, expect, it } from 'vitest';
import { startCollector } from '../helpers/otlp-collector.js';
import { runCli } from '../helpers/cli.js';

describe('demo, the README\'s first command', () => {
  it('prints the simulated organization\'s LogRecords with no config and no network', async () => {
    const result = await runCli(['demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^demo-org: ok delivered=14 fetched=14 /m);
    expect(result.stdout.match(/ atlassian\.org\.audit_event /g)).toHaveLength(14);
    expect(result.stdout).toMatch(/WARN atlassian\.org\.audit_event user_login_failed: /);
    for (const iso of ['US', 'BR', 'IT', 'JP', 'NG']) expect(result.stdout).toContain(`geo.country.iso_code = ${iso}`);
    expect(result.stdout).toContain('atlassian.event.category = ["iam"]');
    // Quiet stderr by default: the show is on stdout.
    expect(result.stderr).toBe('');
  });

  it('--endpoint sends the same records to a collector', async () => {
    const collector = await startCollector();
    try {
      const result = await runCli(['demo', '--endpoint', collector.url, '--protocol', 'http/json', '--events', '30']);
      expect(result.code, result.stderr).toBe(0);
      expect(collector.records).toHaveLength(30);
      expect(new Set(collector.records.map((r) => r.attributes['log.record.uid'])).size).toBe(30);
      expect(collector.requests.every((r) => r.contentType === 'application/json')).toBe(true);
    } finally {
      await collector.close();
    }
  });

  it('refuses an endpoint without a scheme with a one-line error', async () => {
    const result = await runCli(['demo', '--endpoint', 'collector.example:4318']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--endpoint must be an http(s) URL with its scheme');
  });
});
