#!/usr/bin/env node
// Builds the end-to-end collector from builder-config.yaml into .cache/otelcol/ (git-ignored).
// Rebuilds only when the manifest (or this script, or the Go version) changes: a stamp file
// holds the hash of what the binary was built from.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const manifest = join(here, 'builder-config.yaml');
const cache = join(root, '.cache/otelcol');
const binary = join(cache, 'build/otelcol-e2e');
const stampFile = join(cache, 'stamp');
const BUILDER = 'go.opentelemetry.io/collector/cmd/builder@v0.156.0';
// The checksum database reachable here has no entry for one module the elasticsearch exporter
// pulls in (its zip is on the module proxy). Skip the lookup for that path only; every other
// module is still verified against sum.golang.org.
const NO_SUMDB = ['go.opentelemetry.io/ebpf-profiler'];
const goEnv = { GONOSUMDB: [process.env.GONOSUMDB, ...NO_SUMDB].filter(Boolean).join(',') };

function go(args, env = {}) {
  return execFileSync('go', args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

let goVersion;
try {
  goVersion = go(['env', 'GOVERSION']);
} catch {
  console.error('build-collector: `go` is not on PATH; install Go 1.25 or later (see README, "Testing with a real collector")');
  process.exit(1);
}
const stamp = createHash('sha256')
  .update(readFileSync(manifest))
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .update(goVersion)
  .digest('hex');

if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log(`build-collector: ${binary} is up to date`);
  process.exit(0);
}

mkdirSync(cache, { recursive: true });
const started = Date.now();
const gobin = join(cache, 'bin');
console.log(`build-collector: installing ${BUILDER} with ${goVersion}`);
go(['install', BUILDER], { ...goEnv, GOBIN: gobin });
console.log('build-collector: building (module download + compile; minutes on a cold cache)');
execFileSync(join(gobin, 'builder'), ['--config', manifest], { cwd: root, stdio: 'inherit', env: { ...process.env, ...goEnv } });
writeFileSync(stampFile, stamp);
console.log(`build-collector: built ${binary} in ${Math.round((Date.now() - started) / 1000)} s`);
