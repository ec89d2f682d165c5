import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './temp-dir.js';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds first) as a user would, with a clean OTEL_* environment. */
export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OTEL_') && k !== 'AAR_CRASH_AT') env[k] = v;
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  return new Promise((resolveResult) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr });
    });
  });
}

/** A temp dir with a config file; returns its path. */
export function writeConfig(yaml: string): { dir: string; file: string } {
  const dir = tempDir('aar-e2e-');
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

export function orgConfig(o: { apiUrl: string; collectorUrl: string; orgId: string; protocol?: string; pageSize?: number; name?: string; extra?: string }): string {
  return `state:
  directory: ./state
exporter:
  endpoint: ${o.collectorUrl}
  protocol: ${o.protocol ?? 'http/protobuf'}
  timeout: 5s
  maxRetryTime: 20s
telemetry:
  health:
    endpoint: 127.0.0.1:0             # tests run side by side: a free port each (logged at start)
sources:
  - name: ${o.name ?? 'acme-org'}
    type: org-events
    orgId: ${o.orgId}
    apiKey: \${TEST_ORG_API_KEY}
    baseUrl: ${o.apiUrl}
    pageSize: ${o.pageSize ?? 3}
    initialLookback: 3650d
    requestsPerMinute: 0
    retryDeadline: 20s
${o.extra ?? ''}`;
}
