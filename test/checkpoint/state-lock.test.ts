import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockStateDirectory } from '../../src/checkpoint/state-lock.js';
import { silentLogger } from '../../src/log/pino-logger.js';
import { tempDir } from '../helpers/temp-dir.js';

// Contention between processes is tested through the CLI (test/hostile/state-directory.test.ts).
describe('lockStateDirectory', () => {
  it('writes the holder (PID) into the lock, one lock file per shard, and removes it on release', async () => {
    const dir = join(tempDir('aar-lock-'), 'state');
    const whole = await lockStateDirectory(dir, silentLogger);
    const shard = await lockStateDirectory(dir, silentLogger, 'receiver.shard-0-of-2.lock');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(existsSync(join(dir, 'receiver.shard-0-of-2.lock'))).toBe(true);
    await whole.release();
    await shard.release();
    await whole.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(existsSync(join(dir, 'receiver.shard-0-of-2.lock'))).toBe(false);
  });
});
