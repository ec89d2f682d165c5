// Builds the receiver as it was at an earlier commit, so one bench run can put "before" and
// "after" side by side on the same machine at the same moment. The commit's files are
// extracted with `git archive` (no worktree is registered), compiled with this checkout's
// TypeScript against this checkout's node_modules, and cached in the system temp directory.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
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
  const modules = join(dir, 'node_modules');
  if (existsSync(cli)) {
    // A cached build links the node_modules of the checkout that built it, which may be gone
    // (a deleted clone): link this checkout's.
    if (!existsSync(modules) || realpathSync(modules) !== realpathSync(join(root, 'node_modules'))) {
      rmSync(modules, { force: true });
      symlinkSync(join(root, 'node_modules'), modules, 'dir');
    }
    return { commit, cli };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  symlinkSync(join(root, 'node_modules'), modules, 'dir');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`building ${commit} failed: ${String(err.stdout ?? err.message).split('\n')[0]}`);
  }
  return { commit, cli };
}
