// Runs the collector built by `npm run collector:build` with the repository's
// otel-collector/*.yaml files, unchanged: only environment variables differ from what a user
// sets. Ports are free loopback ports, state lives in a temp dir a restart can reuse.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';

const ROOT = resolve(import.meta.dirname, '../../..');
export const OTELCOL_BINARY = join(ROOT, '.cache/otelcol/build/otelcol-e2e');
export const CONFIG_DIR = join(ROOT, 'otel-collector');

/**
 * The destinations this suite runs, by file name. Datadog runs as datadog-otlp.yaml (Datadog's
 * OTLP logs intake); datadog.yaml is not among them: the test collector cannot include the
 * datadog exporter (see test/collector/builder-config.yaml).
 */
export type Destination = 'datadog-otlp' | 'elastic-otel' | 'elastic-ecs' | 'sumologic' | 'sentinel';
export const DESTINATIONS: readonly Destination[] = ['datadog-otlp', 'elastic-otel', 'elastic-ecs', 'sumologic', 'sentinel'];

export interface Otelcol {
  readonly otlpUrl: string;
  readonly otlpPort: number;
  readonly stateDir: string;
  readonly child: ChildProcess;
  /** Everything the collector wrote to stdout and stderr. */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait; SIGKILL if it does not stop within 20 s. */
  stop(): Promise<void>;
  /** SIGKILL and wait: nothing gets flushed. */
  kill9(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts the collector with base.yaml plus the given destination files; resolves once its health check answers. */
export async function startOtelcol(o: { destinations: readonly Destination[]; env: Record<string, string>; stateDir?: string; otlpPort?: number }): Promise<Otelcol> {
  if (!existsSync(OTELCOL_BINARY)) throw new Error(`${OTELCOL_BINARY} is missing: run npm run collector:build first`);
  const stateDir = o.stateDir ?? tempDir('aar-otelcol-');
  const [otlpPort, healthPort, metricsPort] = [o.otlpPort ?? (await freePort()), await freePort(), await freePort()];
  const args = ['--config', join(CONFIG_DIR, 'base.yaml'), ...o.destinations.flatMap((d) => ['--config', join(CONFIG_DIR, `${d}.yaml`)])];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? stateDir,
    MY_POD_IP: '127.0.0.1',
    HEALTH_CHECK_PORT: String(healthPort),
    OTLP_HTTP_ENDPOINT: `127.0.0.1:${otlpPort}`,
    OTELCOL_METRICS_PORT: String(metricsPort),
    OTELCOL_STATE_DIR: stateDir,
    ...o.env,
  };
  const child = spawn(OTELCOL_BINARY, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.on('close', (code, signal) => ok({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`the collector exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the collector's health check did not answer within 60 s:\n${output}`);
    }
    const healthy = await fetch(`http://127.0.0.1:${healthPort}/`).then((r) => r.ok, () => false);
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const waitExit = async (signal: NodeJS.Signals, graceMs: number) => {
    if (gone) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    otlpUrl: `http://127.0.0.1:${otlpPort}`,
    otlpPort,
    stateDir,
    child,
    output: () => output,
    exited,
    stop: () => waitExit('SIGTERM', 20_000),
    kill9: () => waitExit('SIGKILL', 0),
  };
}
