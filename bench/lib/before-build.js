// Builds the receiver as it was at an earlier commit, so one bench run can put "before" and
// "after" side by side on the same machine at the same moment. The commit's files are
// extracted with `git archive` (no worktree is registered), its own dependencies installed from
// its package-lock.json (`npm ci`: this checkout's may lack some it used, or differ), compiled
// with its own TypeScript, and cached in the system temp directory.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Returns the built CLI's path, or throws an Error saying why there is none. */
export function buildBefore(root, ref) {
  const git = (...args) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  let commit;
  try {
    commit = git('rev-parse', '--verify', '--short=12', `${ref}^{commit}`);
  } catch {
    throw new Error(`commit ${ref} is not in this clone (a shallow clone?)`);
  }
  const dir = join(tmpdir(), `aar-bench-before-${commit}`);
  const cli = join(dir, 'dist/cli.js');
  // Reused only with its own node_modules: an older bench linked the checkout's instead.
  const ownModules = lstatSync(join(dir, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink() === false;
  if (ownModules && existsSync(cli)) return { commit, cli };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const step = (what, file, args) => {
    try {
      execFileSync(file, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      const out = `${err.stdout ?? ''}${err.stderr ?? ''}`.split('\n').find((l) => l.trim() !== '') ?? err.message;
      throw new Error(`${what} ${commit} failed: ${out}`);
    }
  };
  step('installing the dependencies of', 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
  step('building', process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  return { commit, cli };
}
