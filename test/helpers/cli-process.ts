// A long-running CLI process (`run`) whose stderr lines a test can wait for while it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';

export interface CliProcess {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** Resolves with the first JSON log line matching `match`; rejects after `timeoutMs` or if the process exits first. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Exit code and signal, once it exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `node dist/cli.js ...args` with a clean OTEL_* environment; killed with SIGKILL after `timeoutMs`. */
export function startCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): CliProcess {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OTEL_') && k !== 'AAR_CRASH_AT') env[k] = v;
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...waiters]) w();
  });
  child.stdout!.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const w of [...waiters]) w();
      resolve({ code, signal });
    }),
  );
  const lines = () =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    stderr: () => stderr,
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
    waitForLog(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => done(new Error(`timed out waiting for a log line; stderr so far:\n${stderr}`)), timeoutMs);
        const check = () => {
          const found = lines().find(match);
          if (found) return done(undefined, found);
          if (child.exitCode !== null || child.signalCode !== null) done(new Error(`process exited first; stderr:\n${stderr}`));
        };
        const done = (err?: Error, line?: Record<string, unknown>) => {
          clearTimeout(deadline);
          waiters.delete(check);
          if (err) reject(err);
          else resolve(line!);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
