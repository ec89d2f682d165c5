// An export is sent as parts: the framing, then the prepared records' bytes where the arena
// holds them. The parts must make exactly the request `encode` makes, stay few for a page
// prepared in order, never change once handed out, and reach the collector as one body with
// its length (not chunked).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { sendHttp } from '../../src/http/http-client.js';
import { closeNetwork } from '../../src/http/network.js';
import { LogsRequestEncoder } from '../../src/otlp/logs-request-encoder.js';
import { coalesce, RecordArena } from '../../src/otlp/record-arena.js';
import type { AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { mappedFixtureRecords } from './mapped-fixture-records.js';

const encoder = new LogsRequestEncoder({ 'service.name': 'parts-test' }, { name: 'n', version: 'v' });
const mixed = Object.values(mappedFixtureRecords()).flat();

function page(size: number): AuditLogRecord[] {
  const out: AuditLogRecord[] = [];
  while (out.length < size) out.push(...mixed.slice(0, size - out.length));
  return out.map((r, i) => ({ ...r, uid: `${r.uid}#${i}` }));
}

const prepare = (records: readonly AuditLogRecord[]): AuditLogRecord[] => records.map((r) => ({ ...r, body: null, attributes: {}, encoded: encoder.encodeRecord(r) }));

afterAll(closeNetwork);

describe('request parts', () => {
  it('a page prepared in order goes out as its framing and one part per arena block, the same bytes as encode', () => {
    const records = page(500);
    const whole = encoder.encode(records);
    const parts = encoder.encodeParts(prepare(records));
    expect(Buffer.compare(Buffer.concat(parts), whole)).toBe(0);
    expect(whole.length).toBeGreaterThan(256 * 1024);
    // The framing, then at most one part per 64 KB block (plus one for a record that did not fit).
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.length).toBeLessThanOrEqual(2 + Math.ceil(whole.length / (64 * 1024)));
  });

  it('a subset (duplicates dropped) and records not prepared still make the request encode makes', () => {
    const records = page(120);
    const prepared = prepare(records);
    const kept = prepared.filter((_, i) => i % 7 !== 3);
    const mixedBatch = kept.map((r, i) => (i % 11 === 0 ? records[prepared.indexOf(r)]! : r));
    const expected = encoder.encode(records.filter((_, i) => i % 7 !== 3));
    expect(Buffer.compare(Buffer.concat(encoder.encodeParts(kept)), expected)).toBe(0);
    expect(Buffer.compare(Buffer.concat(encoder.encodeParts(mixedBatch)), expected)).toBe(0);
  });

  it('bytes handed out by the arena never change, however much is copied after them', () => {
    const arena = new RecordArena();
    const views: [Buffer, number][] = [];
    for (let i = 0; i < 400; i++) {
      const bytes = Buffer.alloc(100 + (i % 700), i % 251);
      views.push([arena.copy(bytes), i % 251]);
    }
    views.push([arena.copy(Buffer.alloc(200 * 1024, 7)), 7]);
    for (const [view, fill] of views) expect(view.every((b) => b === fill)).toBe(true);
  });

  it('coalesce merges only slices that are adjacent in the same memory', () => {
    const block = Buffer.from([1, 2, 3, 4, 5, 6]);
    const other = Buffer.from([7, 8]);
    const parts = coalesce([block.subarray(0, 2), block.subarray(2, 3), new Uint8Array(0), other, block.subarray(3, 4), block.subarray(5, 6)]);
    expect(parts.map((p) => [...p])).toEqual([[1, 2, 3], [7, 8], [4], [6]]);
  });

  it('sendHttp sends parts as one body with its Content-Length, not chunked', async () => {
    const seen: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const parts = encoder.encodeParts(prepare(page(300)));
      const res = await sendHttp({ method: 'POST', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`, headers: { 'content-type': 'application/x-protobuf' }, body: parts, timeoutMs: 5_000, maxBodyBytes: 1024 });
      expect(res.status).toBe(200);
      const total = parts.reduce((n, p) => n + p.length, 0);
      expect(seen[0]!.headers['content-length']).toBe(String(total));
      expect(seen[0]!.headers['transfer-encoding']).toBeUndefined();
      expect(Buffer.compare(seen[0]!.body, Buffer.concat(parts))).toBe(0);
    } finally {
      await closeNetwork();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a collector that answers before reading the whole body', () => {
  it('gets no more of the body once its answer is read, so the memory behind the parts is free', async () => {
    const part = Buffer.alloc(1024 * 1024, 0x61);
    const parts = Array.from({ length: 96 }, () => part);
    const total = part.length * parts.length;
    let received = 0;
    let closed = false;
    let onClose!: () => void;
    const done = new Promise<void>((r) => (onClose = r));
    const server = createNetServer((socket) => {
      socket.once('data', (first: Buffer) => {
        received += first.length;
        socket.pause();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok');
        // Read again only after the client had the answer: whatever arrives now was still being sent.
        setTimeout(() => {
          socket.on('data', (d: Buffer) => (received += d.length));
          socket.resume();
        }, 300);
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        closed = true;
        onClose();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await sendHttp({ method: 'POST', url: `http://127.0.0.1:${port}/v1/logs`, headers: { 'content-type': 'application/x-protobuf' }, body: parts, timeoutMs: 10_000, maxBodyBytes: 1024, source: 'test' });
      expect(res.status).toBe(200);
      await Promise.race([done, new Promise((r) => setTimeout(r, 5_000))]);
      // The client ends the connection; what the kernel had already taken arrives, the rest of the 96 MB is never sent.
      expect(closed).toBe(true);
      expect(received).toBeLessThan(total / 2);
    } finally {
      server.close();
    }
  });
});
