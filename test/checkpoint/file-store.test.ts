import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../src/checkpoint/file-store.js';
import { CheckpointCorruptError } from '../../src/errors/checkpoint-corrupt-error.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = () => join(tempDir('ckpt-'), 'state');

describe('FileCheckpointStore', () => {
  it('round-trips, creates the directory, leaves no temp files, and keeps the file private', async () => {
    const store = new FileCheckpointStore(dir());
    expect(await store.get('acme')).toBeUndefined();
    await store.set('acme', { v: 1, fromMs: 5, boundaryIds: ['a'] });
    await store.set('acme', { v: 1, fromMs: 6, boundaryIds: ['b'] });
    expect(await store.get('acme')).toEqual({ v: 1, fromMs: 6, boundaryIds: ['b'] });
    expect(readdirSync(store.directory)).toEqual(['acme.checkpoint.json']);
    expect(statSync(store.locate('acme')).mode & 0o777).toBe(0o600);
    await store.delete('acme');
    expect(await store.get('acme')).toBeUndefined();
  });

  it.each([
    ['torn JSON', '{"v":1,"fromMs":12'],
    ['not an object', '[1,2]'],
    ['empty file', ''],
  ])('refuses a corrupt file (%s) with an error naming the file and the way out', async (_n, content) => {
    const store = new FileCheckpointStore(dir());
    await store.set('acme', { v: 1 });
    writeFileSync(store.locate('acme'), content);
    const err = await store.get('acme').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointCorruptError);
    expect((err as Error).message).toContain(store.locate('acme'));
    expect((err as Error).message).toContain('--reset-checkpoint acme');
    expect(readFileSync(store.locate('acme'), 'utf8')).toBe(content);
  });
});
