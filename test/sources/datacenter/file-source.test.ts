import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapDataCenterEvent } from '../../../src/sources/datacenter/map.js';
import { DC_PRODUCTS } from '../../../src/sources/datacenter/product.js';
import { dcFixture } from '../../helpers/datacenter-fixtures.js';
import { countByUid, startHarness, TestClock, type Harness } from '../jira-audit/pipeline-harness.js';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
let h: Harness;
let dir: string;

beforeEach(async () => {
  h = await startHarness();
  dir = mkdtempSync(join(tmpdir(), 'aar-dc-files-'));
});

afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h.close();
});

/** File-shaped lines: the product's fixture lines, renumbered so each is distinct and ordered in time. */
function lines(n: number, startSecond = 1_772_000_000, product: (typeof DC_PRODUCTS)[number] = 'confluence'): string[] {
  const templates = dcFixture(product, 'file');
  return Array.from({ length: n }, (_, i) => JSON.stringify({ ...templates[i % templates.length], timestamp: { epochSecond: startSecond + i, nano: 5_000_000 } }));
}

function build(extra: Record<string, unknown> = {}, product = 'confluence') {
  const source = { name: 'node1-files', type: 'datacenter-audit-file', product, paths: [`${dir}/*.audit.log`], ...extra };
  return h.build(`sources: ${JSON.stringify([source])}\n`, new TestClock(NOW)).sources;
}

const uids = () => h.collector.records.map((r) => String(r.attributes['log.record.uid']));
const everyOnce = () => [...countByUid(h.collector.records).values()].every((n) => n === 1);

describe.each(DC_PRODUCTS)('datacenter-audit-file source for %s', (product) => {
  it('reads every fixture line once, oldest file first, with the mapping\'s uids; the next poll adds nothing', async () => {
    const all = dcFixture(product, 'file').map((r) => JSON.stringify(r));
    const cut = Math.ceil(all.length / 2);
    writeFileSync(join(dir, '20211122-00001.audit.log'), `${all.slice(cut).join('\n')}\n`);
    writeFileSync(join(dir, '20211122-00000.audit.log'), `${all.slice(0, cut).join('\n')}\n`);
    const sources = build({ batchSize: 2 }, product);
    await h.poll(sources);
    const expected = all.map((line) => mapDataCenterEvent(JSON.parse(line), { product, sourceName: 'node1-files', observedMs: 0 }).uid);
    expect(uids()).toEqual(expected);
    expect(h.collector.records.every((r) => r.attributes['atlassian.receiver.schema_error'] === undefined)).toBe(true);
    await h.poll(sources);
    expect(h.collector.records).toHaveLength(all.length);
  });
});

describe('datacenter-audit-file source: files on disk', () => {
  it('waits for a partial last line to be completed', async () => {
    const [a, b, c] = lines(3);
    const file = join(dir, '20260302-00000.audit.log');
    writeFileSync(file, `${a}\n${b}\n${c!.slice(0, 40)}`);
    const sources = build();
    await h.poll(sources);
    expect(h.collector.records).toHaveLength(2);
    appendFileSync(file, `${c!.slice(40)}\n`);
    await h.poll(sources);
    expect(h.collector.records).toHaveLength(3);
    expect(h.collector.records[2]!.attributes['atlassian.receiver.schema_error']).toBeUndefined();
    expect(everyOnce()).toBe(true);
  });

  it('follows rotation mid-read: a refused batch, a renamed file, a new file; nothing skipped or repeated', async () => {
    const l = lines(9);
    const first = join(dir, '20260302-00000.audit.log');
    writeFileSync(first, `${l.slice(0, 5).join('\n')}\n`);
    const sources = build({ batchSize: 2 });
    h.collector.enqueue({ status: 200 }, { status: 400 });
    await h.poll(sources);
    expect(h.collector.records).toHaveLength(2);
    // The node finishes the file, the operator renames it (same inode), a new file starts.
    appendFileSync(first, `${l[5]}\n`);
    renameSync(first, join(dir, '20260302-00000.1.audit.log'));
    writeFileSync(join(dir, '20260302-00001.audit.log'), `${l.slice(6).join('\n')}\n`);
    await h.poll(sources);
    expect(h.collector.records).toHaveLength(9);
    expect(everyOnce()).toBe(true);
    const times = h.collector.records.map((r) => Number(r.timeUnixNano / 1_000_000n));
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('forgets deleted files, and reads a file that reuses a path and inode but not the content from 0', async () => {
    const l = lines(6);
    const a = join(dir, '20260301-00000.audit.log');
    const b = join(dir, '20260302-00000.audit.log');
    writeFileSync(a, `${l[0]}\n${l[1]}\n`);
    writeFileSync(b, `${l[2]}\n`);
    const sources = build();
    await h.poll(sources);
    rmSync(a);
    // Same inode, new first bytes, longer than the old offset: a different file.
    writeFileSync(b, `${l[3]}\n${l[4]}\n${l[5]}\n`);
    await h.poll(sources);
    expect(h.collector.records).toHaveLength(6);
    expect(everyOnce()).toBe(true);
    const state = await h.store.get('node1-files');
    expect(Object.values((state as { files: Record<string, { path: string }> }).files).map((f) => f.path)).toEqual([b]);
  });

  it('restarts a truncated file from 0, dropping the events it replays', async () => {
    const l = lines(5);
    const file = join(dir, '20260302-00000.audit.log');
    writeFileSync(file, `${l.slice(0, 4).join('\n')}\n`);
    const sources = build();
    await h.poll(sources);
    truncateSync(file, 0);
    writeFileSync(file, `${l[2]}\n${l[4]}\n`);
    await h.poll(sources);
    expect(h.collector.records).toHaveLength(5);
    expect(everyOnce()).toBe(true);
  });

  it('delivers identical events in one millisecond each once, across batches and polls', async () => {
    const [same] = lines(1);
    const file = join(dir, '20260302-00000.audit.log');
    writeFileSync(file, `${same}\n${same}\n${same}\n`);
    const sources = build({ batchSize: 2 });
    await h.poll(sources);
    appendFileSync(file, `${same}\n`);
    await h.poll(sources);
    expect(uids().map((u) => u.slice(-2))).toEqual(['#0', '#1', '#2', '#3']);
  });

  it('delivers a malformed and an over-long line flagged, and goes on', async () => {
    const [good] = lines(1);
    writeFileSync(join(dir, '20260302-00000.audit.log'), `{"broken": \n${'x'.repeat(3000)}\n${good}\n`);
    const sources = build({ maxLineBytes: 1024 });
    await h.poll(sources);
    const errors = h.collector.records.map((r) => r.attributes['atlassian.receiver.schema_error']);
    expect(errors).toEqual(['line is not valid JSON', 'line longer than maxLineBytes (1024); delivered cut short', undefined]);
    expect(h.collector.records[1]!.body).toHaveLength(1024);
  });
});
