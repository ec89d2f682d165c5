// The package as a user gets it: `npm pack` on a copy of the sources (its prepack script
// builds dist/), then the tarball installed into an empty folder with dependencies from the
// registry, then `npx atlassian-audit-receiver demo` there, as the README says.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** No proxy or OTEL_* setting from the machine, and npm kept quiet. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && !k.startsWith('npm_')));

describe('npm pack', () => {
  it('makes a tarball whose bin runs demo after a plain npm install into an empty folder', { timeout: 600_000 }, async () => {
    // A copy, so the build that `npm pack` runs never rewrites the dist/ other tests are running.
    const copy = tempDir('aar-pack-src-');
    for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'src', 'scripts']) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const out = tempDir('aar-pack-out-');
    const packed = await run(npm, ['pack', '--json', '--pack-destination', out], { cwd: copy, env, maxBuffer: 16 << 20 });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/cli.js']));
    // Only the built JavaScript: no sources, tests, maps or local state.
    expect(paths.filter((p) => !/^(package\.json|README\.md|LICENSE|dist\/.+\.js)$/.test(p))).toEqual([]);
    expect(existsSync(join(copy, 'dist', 'cli.js'))).toBe(true);

    const home = tempDir('aar-pack-install-');
    expect(readdirSync(home)).toEqual([]);
    const installed = await run(npm, ['install', '--no-audit', '--no-fund', join(out, info!.filename)], { cwd: home, env, maxBuffer: 16 << 20 });
    // No install-time script: nothing runs on a user's machine at install, and npm has nothing to ask approval for.
    const manifest = JSON.parse(readFileSync(join(home, 'node_modules', 'atlassian-audit-receiver', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(Object.keys(manifest.scripts ?? {}).filter((k) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(k))).toEqual([]);
    expect(installed.stderr).not.toMatch(/install-scripts/);
    const demo = await run(npm.replace('npm', 'npx'), ['--no', 'atlassian-audit-receiver', 'demo'], { cwd: home, env, maxBuffer: 16 << 20 });
    expect(demo.stdout).toMatch(/^demo-org: ok delivered=14 fetched=14 /m);
    expect(demo.stdout.match(/ atlassian\.org\.audit_event /g)).toHaveLength(14);
    const version = await run(join(home, 'node_modules', '.bin', 'atlassian-audit-receiver'), ['--version'], { cwd: home, env });
    expect(version.stdout.trim()).toContain((await import(join(ROOT, 'package.json'), { with: { type: 'json' } })).default.version);
  });
});
