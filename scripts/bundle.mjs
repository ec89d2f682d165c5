// Bundles the CLI (src/cli.ts and everything it imports, dependencies included) into
// dist/cli.js, with one chunk per lazily imported part (each command, each source type,
// undici for proxies, the OpenTelemetry SDK for `run`'s self-metrics).
//
// Why: Node 20 loads ES modules one file at a time, and `once` touches about 300 files
// (ours, zod, yaml, commander, pino); loading them took about 150 ms of a 330 ms start-up.
// tsc still writes dist/ first: it type-checks, and the benchmark imports single modules from it.
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');

// Chunk names carry a content hash: drop the previous build's so dist/ holds one set.
for (const f of readdirSync(dist)) if (f.startsWith('chunk-')) rmSync(join(dist, f));

await build({
  entryPoints: { cli: join(root, 'src/cli.ts') },
  outdir: dist,
  // Flat, next to cli.js: src/version.ts finds ../package.json from its own file's folder.
  chunkNames: 'chunk-[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.build.json'),
  sourcemap: 'linked',
  // pino-pretty is required at run time, only when a person reads the logs: keep it a package.
  external: ['pino-pretty'],
  // The CommonJS dependencies call require() for Node's own modules; ESM output has none.
  banner: { js: "import { createRequire as __aarCreateRequire } from 'node:module';\nconst require = __aarCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
