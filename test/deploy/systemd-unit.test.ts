/**
 * deploy/systemd: the unit is checked by systemd's own parser (`systemd-analyze verify`, from
 * the machine's systemd package; .ci/run installs it if missing) with ExecStart pointed at the
 * built CLI, since /usr/local/bin is not populated here, and every warning counts as a failure.
 * The config and environment example beside it must fit the unit.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { EXIT } from '../../src/cli/context.js';
import { tempDir } from '../helpers/temp-dir.js';

const DIR = fileURLToPath(new URL('../../deploy/systemd/', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const UNIT = 'atlassian-audit-receiver.service';
const unitText = readFileSync(join(DIR, UNIT), 'utf8');

/** `[Section]` -> key -> values (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    current!.set(key, [...(current!.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

describe('systemd unit', () => {
  const unit = parseUnit(unitText);
  const service = unit.get('Service')!;
  const one = (key: string) => service.get(key)?.at(-1);

  it('passes systemd-analyze verify with no warning', async () => {
    const dir = tempDir('aar-systemd-');
    writeFileSync(join(dir, UNIT), unitText.replace(/^ExecStart=\/usr\/local\/bin\/atlassian-audit-receiver /m, `ExecStart=${process.execPath} ${CLI} `));
    const result = await promisify(execFile)('systemd-analyze', ['verify', '--man=no', '--generators=no', join(dir, UNIT)]);
    expect(result.stderr).toBe('');
  });

  it('runs `run` with the installed config, restarts on failure but not on a configuration error', () => {
    expect(one('ExecStart')).toBe('/usr/local/bin/atlassian-audit-receiver run --config /etc/atlassian-audit-receiver/config.yaml');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartPreventExitStatus')).toBe(String(EXIT.USAGE));
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('keeps state where the example config puts it, and is hardened without breaking V8', () => {
    const config = parseConfig(readFileSync(join(DIR, 'config.yaml'), 'utf8'), '/etc/atlassian-audit-receiver/config.yaml', { ATLASSIAN_ORG_ID: 'o-1', ATLASSIAN_ORG_API_KEY: 'k' });
    expect(config.stateDirectory).toBe(`/var/lib/${one('StateDirectory')}`);
    for (const [key, value] of [['DynamicUser', 'yes'], ['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes']]) expect(one(key!), key).toBe(value);
    // The JIT writes and then executes code: this setting would kill node at start.
    expect(one('MemoryDenyWriteExecute')).toBeUndefined();
  });

  it('has an environment example naming every variable the example config needs', () => {
    const needed = [...readFileSync(join(DIR, 'config.yaml'), 'utf8').matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1]!);
    const example = readFileSync(join(DIR, 'environment.example'), 'utf8');
    const provided = [...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((v) => !provided.includes(v))).toEqual([]);
    expect(one('EnvironmentFile')).toBe('/etc/atlassian-audit-receiver/environment');
  });
});
