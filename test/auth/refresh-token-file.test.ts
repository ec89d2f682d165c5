import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors/auth-error.js';
import { RefreshTokenFile } from '../../src/auth/refresh-token-file.js';
import { ReceiverError } from '../../src/errors/receiver-error.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aar-rt-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RefreshTokenFile', () => {
  it('has nothing before the first save', async () => {
    await expect(new RefreshTokenFile(join(dir, 'a.json')).load()).resolves.toBeUndefined();
  });

  it('saves atomically with mode 0600 into a state directory it creates, and loads it back', async () => {
    const file = join(dir, 'state', 'oauth2-x.refresh-token.json');
    const saved = new RefreshTokenFile(file);
    await saved.save('rt-1');
    await saved.save('rt-2');
    await expect(new RefreshTokenFile(file).load()).resolves.toBe('rt-2');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'state'))).toEqual(['oauth2-x.refresh-token.json']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ v: 1, refreshToken: 'rt-2' });
  });

  it('refuses a corrupt file instead of falling back to the config token, and says how to recover', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"v":1,"refreshTok');
    const error = await new RefreshTokenFile(file).load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).describe()).toMatch(/delete it .* auth\.refreshToken/);
    expect((error as AuthError).describe()).toContain(file);
  });

  it('reports an unwritable state directory without the token', async () => {
    const blocker = join(dir, 'not-a-directory');
    await writeFile(blocker, '');
    const error = await new RefreshTokenFile(join(blocker, 'x.json')).save('rt-secret-value').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReceiverError);
    expect((error as ReceiverError).code).toBe('STATE_DIR_UNWRITABLE');
    expect((error as ReceiverError).describe()).not.toContain('rt-secret-value');
  });
});
