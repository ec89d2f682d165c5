import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Every usage error: exit 2, one line on stderr in the receiver's one format, nothing on stdout. */
async function usageError(args: string[]): Promise<string> {
  const r = await runCli(args, { timeoutMs: 10_000 });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^atlassian-audit-receiver: /);
  return lines[0]!;
}

describe('one voice for usage errors', () => {
  it('names an unknown flag as an unknown flag, even when a required one is missing too', async () => {
    expect(await usageError(['once', '--bogus'])).toBe("atlassian-audit-receiver: unknown option '--bogus'");
    expect(await usageError(['run', '--confg', 'x.yaml'])).toBe("atlassian-audit-receiver: unknown option '--confg' (Did you mean --config?)");
    expect(await usageError(['--bogus'])).toBe("atlassian-audit-receiver: unknown option '--bogus'");
    expect(await usageError(['bogus'])).toBe("atlassian-audit-receiver: unknown command 'bogus'");
  });

  it('says which required option is missing, and bad values, in the same format as configuration errors', async () => {
    expect(await usageError(['once'])).toBe("atlassian-audit-receiver: required option '-c, --config <file>' not specified");
    expect(await usageError(['replay', '--config', 'x.yaml'])).toBe("atlassian-audit-receiver: required option '--from <time>' not specified");
    expect(await usageError(['once', '--config', 'x.yaml', '--progress-interval', 'soon'])).toMatch(/^atlassian-audit-receiver: option '--progress-interval <duration>' argument 'soon' is invalid\. must be a duration/);
    expect(await usageError(['once', '--config', '/nonexistent/receiver.yaml'])).toBe('atlassian-audit-receiver: cannot read config file /nonexistent/receiver.yaml: no such file');
  });
});
