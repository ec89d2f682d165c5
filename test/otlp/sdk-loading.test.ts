// The http/protobuf path runs without the OpenTelemetry SDK: `once` and the protobuf sink load no
// @opentelemetry package (start-up time and memory); http/json loads the SDK's serializer when used.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type TestCollector } from '../helpers/otlp-collector.js';

const DIST = resolve(import.meta.dirname, '../../dist');

/** In a fresh node (the built receiver): load the `once` and `check` commands, deliver one record, list the loaded @opentelemetry packages. */
const CHILD = `
import { createRequire } from 'node:module';
const [dist, logsUrl, protocol] = process.argv.slice(1);
await import(dist + '/cli/once-command.js');
await import(dist + '/cli/check-command.js');
const { OtlpHttpSink } = await import(dist + '/otlp/otlp-http-sink.js');
const { receiverResource } = await import(dist + '/otlp/resource.js');
const sink = new OtlpHttpSink({ logsUrl, protocol, compression: 'gzip', headers: {}, timeoutMs: 5000, maxRetryTimeMs: 0 }, receiverResource({ name: 'svc', resourceAttributes: {} }));
const record = { uid: 'u1', timeMs: 1733011200123, observedMs: 1733011260456, eventName: 'e', severity: { number: 9, text: 'INFO' }, body: { a: [1, 'x'] }, attributes: { 'log.record.uid': 'u1' } };
const result = await sink.deliver([record], AbortSignal.timeout(5000));
const packages = new Set(Object.keys(createRequire(import.meta.url).cache).map((p) => p.match(/node_modules\\/(@opentelemetry\\/[^/]+)/)?.[1]).filter(Boolean));
process.stdout.write(JSON.stringify({ result, packages: [...packages].sort() }));
`;

async function deliverInChild(protocol: string): Promise<{ result: { status: string; rejected: number; message?: string }; packages: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD, DIST, `${collector.url}/v1/logs`, protocol], { timeout: 30_000 });
  return JSON.parse(stdout) as { result: { status: string; rejected: number; message?: string }; packages: string[] };
}

let collector: TestCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());

describe('which OpenTelemetry SDK modules the receiver loads', () => {
  it('http/protobuf: none, and the record and the partial_success still go through', async () => {
    collector.enqueue({ partialSuccess: { rejectedLogRecords: 1, errorMessage: 'one too long' } });
    const { result, packages } = await deliverInChild('http/protobuf');
    expect(result).toEqual({ status: 'accepted', rejected: 1, message: 'one too long' });
    expect(packages).toEqual([]);
    const record = collector.records.at(-1)!;
    expect(record.attributes['log.record.uid']).toBe('u1');
    expect(record.body).toEqual({ a: [1, 'x'] });
    expect(record.resource['service.name']).toBe('svc');
  });

  it('http/json: the SDK serializer, loaded on first use', async () => {
    collector.enqueue({ partialSuccess: { rejectedLogRecords: 2, errorMessage: 'two too long' } });
    const { result, packages } = await deliverInChild('http/json');
    expect(result).toEqual({ status: 'accepted', rejected: 2, message: 'two too long' });
    expect(packages).toContain('@opentelemetry/otlp-transformer');
    expect(collector.records.at(-1)!.attributes['log.record.uid']).toBe('u1');
  });
});
