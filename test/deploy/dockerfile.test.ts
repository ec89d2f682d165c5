/**
 * Structure of the Dockerfile. No Docker engine runs here, so the image is never built: this
 * checks what can be checked statically (stages, user, volume, entrypoint, and that every file
 * it copies exists and survives .dockerignore).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Instruction { readonly op: string; readonly args: string; readonly stage: number }

/** Instructions with line continuations joined and comments dropped; `stage` counts FROMs from 0. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // comment inside a continuation
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const [op = ''] = full.split(/\s+/);
    const upper = op.toUpperCase();
    if (upper === 'FROM') stage += 1;
    out.push({ op: upper, args: full.slice(op.length).trim(), stage });
  }
  return out;
}

/** COPY/ADD arguments: flags, then sources, then the destination (shell or JSON form). */
function copyParts(args: string): { flags: string[]; sources: string[]; dest: string } {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  return { flags, sources: paths.slice(0, -1), dest: paths[paths.length - 1] ?? '' };
}

/** Whether a path is sent to the builder, for .dockerignore files of `*` plus `!name` lines. */
function inContext(path: string, ignore: string): boolean {
  let included = true;
  for (const line of ignore.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))) {
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    const top = path.split('/')[0]!;
    const matches = pattern === '*' || pattern === '**' || pattern === path || pattern === top;
    if (matches) included = negated;
  }
  return included;
}

describe('Dockerfile', () => {
  const text = readFileSync(`${ROOT}Dockerfile`, 'utf8');
  const ignore = readFileSync(`${ROOT}.dockerignore`, 'utf8');
  const instructions = parseDockerfile(text);
  const last = Math.max(...instructions.map((i) => i.stage));
  const final = instructions.filter((i) => i.stage === last);
  const stages = instructions.filter((i) => i.op === 'FROM').map((i) => i.args);

  it('is multi-stage on node:24-slim: build, then a runtime with production dependencies only', () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24-slim$/m);
    expect(stages).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    const build = instructions.filter((i) => i.stage === 0 && i.op === 'RUN').map((i) => i.args);
    expect(build.some((r) => r.startsWith('npm ci'))).toBe(true);
    expect(build).toContain('npm run build');
    expect(final.filter((i) => i.op === 'RUN').some((i) => /npm ci --omit=dev --ignore-scripts/.test(i.args))).toBe(true);
    expect(final.filter((i) => i.op === 'COPY').map((i) => i.args)).toContain('--from=build /app/dist ./dist');
  });

  it('runs as a non-root user, with state on the volume, entrypoint and default command fixed', () => {
    const users = final.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]!);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    const userAt = final.findIndex((i) => i.op === 'USER');
    expect(final.slice(userAt).filter((i) => i.op === 'RUN'), 'no build steps run after USER').toEqual([]);
    expect(final.find((i) => i.op === 'VOLUME')?.args).toBe('["/var/lib/atlassian-audit-receiver"]');
    expect(JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')!.args)).toEqual(['node', '/app/dist/cli.js']);
    expect(JSON.parse(final.find((i) => i.op === 'CMD')!.args)).toEqual(['run', '--config', '/etc/atlassian-audit-receiver/config.yaml']);
  });

  it('copies only files that exist in the repository and reach the build context; never ADDs URLs', () => {
    expect(instructions.filter((i) => i.op === 'ADD' && /(https?|git):\/\/|git@/.test(i.args))).toEqual([]);
    for (const copy of instructions.filter((i) => i.op === 'COPY' || i.op === 'ADD')) {
      const { flags, sources } = copyParts(copy.args);
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      if (from !== undefined) {
        expect(stages.some((s) => s.endsWith(` AS ${from}`)), `stage ${from}`).toBe(true);
        continue;
      }
      for (const source of sources) {
        expect(existsSync(`${ROOT}${source}`), `${source} exists`).toBe(true);
        expect(inContext(source, ignore), `${source} is not excluded by .dockerignore`).toBe(true);
      }
    }
  });

  it('puts the entrypoint where the build writes it', () => {
    const build = JSON.parse(readFileSync(`${ROOT}tsconfig.build.json`, 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(`${ROOT}src/cli.ts`)).toBe(true);
    // src/version.ts reads ../package.json from dist/: the runtime stage must have it in /app.
    expect(final.some((i) => i.op === 'COPY' && copyParts(i.args).sources.includes('package.json'))).toBe(true);
    expect(final.find((i) => i.op === 'WORKDIR')?.args).toBe('/app');
  });

  it('keeps secrets, state and build output out of the image and the context', () => {
    expect(instructions.filter((i) => (i.op === 'ENV' || i.op === 'ARG') && /(KEY|TOKEN|SECRET|PASSWORD)/i.test(i.args))).toEqual([]);
    for (const path of ['node_modules', 'dist', 'state', '.git', '.env', 'test', 'config.yaml', 'deploy']) {
      expect(inContext(path, ignore), `${path} excluded`).toBe(false);
    }
  });
});
