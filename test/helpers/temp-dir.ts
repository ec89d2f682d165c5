import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file first imports this module (vitest isolates each file's modules),
// so it runs after that file's tests. Not a process 'exit' hook: vitest ends its forked workers
// without one running.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
});

/**
 * A fresh directory under the OS temp dir, removed after the test file that made it: a suite that
 * runs thousands of CLI and store tests must not leave thousands of directories in /tmp.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
