import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector, type ReceivedLogRecord, type TestCollector } from './otlp-collector.js';
import { otlpTypes } from './otlp-proto.js';

const { request: RequestType, response: ResponseType } = otlpTypes();

function example(name: 'logs.json' | 'events.json'): string {
  return readFileSync(new URL(`../fixtures/opentelemetry-proto/examples/${name}`, import.meta.url), 'utf8');
}

/**
 * Encodes OTLP/JSON as protobuf without going through the collector's JSON
 * reader, so the equivalence test compares two independent paths. Only the
 * hex ids need help: protobufjs reads bytes strings as base64.
 */
function protobufFromJson(text: string): Uint8Array {
  const json = JSON.parse(text) as unknown;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const key of ['traceId', 'spanId']) {
      const id = record[key];
      if (typeof id === 'string') record[key] = Buffer.from(id, 'hex');
    }
    Object.values(record).forEach(walk);
  };
  walk(json);
  return RequestType.encode(RequestType.fromObject(json as Record<string, unknown>)).finish();
}

async function post(collector: TestCollector, body: Uint8Array | string, contentType: string, gzip = false): Promise<Response> {
  const payload = gzip ? gzipSync(body) : typeof body === 'string' ? body : Buffer.from(body);
  return fetch(`${collector.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: payload,
  });
}

const kv = (key: string, value: Record<string, unknown>): Record<string, unknown> => ({ key, value });

/** Exercises every AnyValue kind, 64-bit ints as strings and numbers, and several resources/scopes. */
const HAND_BUILT = JSON.stringify({
  resourceLogs: [
    {
      resource: { attributes: [kv('service.name', { stringValue: 'atlassian-audit-receiver' }), kv('host.id', { intValue: 7 })] },
      scopeLogs: [
        {
          scope: { name: 'atlassian-audit-receiver', version: '0.1.0' },
          logRecords: [
            {
              timeUnixNano: '1779184801000000000',
              observedTimeUnixNano: 1779184802000,
              severityNumber: 9,
              severityText: 'INFO',
              eventName: 'atlassian.audit.org',
              traceId: '',
              body: {
                kvlistValue: {
                  values: [
                    kv('nested', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '-3' }, { boolValue: false }, { doubleValue: 1.5 }, {}] } }),
                    kv('raw', { bytesValue: 'AAEC/w==' }),
                    kv('empty', {}),
                    kv('emptyString', { stringValue: '' }),
                  ],
                },
              },
              attributes: [kv('event.id', { stringValue: 'a1000001' }), kv('count', { intValue: '9007199254740991' })],
              flags: 1,
              unknownFutureField: { ignored: true },
            },
            { timeUnixNano: '0', body: { doubleValue: 'Infinity' } },
          ],
        },
        { scope: { name: 'other' }, logRecords: [{ body: {} }] },
      ],
    },
    { resource: {}, scopeLogs: [{ logRecords: [{ severityNumber: 17 }] }] },
  ],
});

const LOGS_JSON_RECORD: ReceivedLogRecord = {
  timeUnixNano: 1544712660300000000n,
  observedTimeUnixNano: 1544712660300000000n,
  severityNumber: 10,
  severityText: 'Information',
  eventName: '',
  body: 'Example log record',
  attributes: {
    'string.attribute': 'some string',
    'boolean.attribute': true,
    'int.attribute': 10,
    'double.attribute': 637.704,
    'array.attribute': ['many', 'values'],
    'map.attribute': { 'some.map.key': 'some value' },
  },
  resource: { 'service.name': 'my.service' },
  scope: { name: 'my.library', version: '1.0.0' },
};

describe('startCollector', () => {
  let collector: TestCollector;
  beforeEach(async () => {
    collector = await startCollector();
  });
  afterEach(async () => {
    await collector.close();
  });

  it('decodes a protobuf request into plain records and answers with a protobuf response', async () => {
    const res = await post(collector, protobufFromJson(example('logs.json')), 'application/x-protobuf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const body = ResponseType.toObject(ResponseType.decode(new Uint8Array(await res.arrayBuffer())));
    expect(body).toEqual({});
    expect(collector.records).toEqual([LOGS_JSON_RECORD]);
    expect(collector.requests).toMatchObject([{ contentType: 'application/x-protobuf', recordCount: 1, status: 200 }]);
  });

  it('decodes the hand-built request into the expected values', async () => {
    const res = await post(collector, HAND_BUILT, 'application/json; charset=utf-8');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({});
    const [first, second, third, fourth] = collector.records;
    expect(first).toEqual({
      timeUnixNano: 1779184801000000000n,
      observedTimeUnixNano: 1779184802000n,
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'atlassian.audit.org',
      body: { nested: ['a', -3, false, 1.5, null], raw: new Uint8Array([0, 1, 2, 255]), empty: null, emptyString: '' },
      attributes: { 'event.id': 'a1000001', count: 9007199254740991 },
      resource: { 'service.name': 'atlassian-audit-receiver', 'host.id': 7 },
      scope: { name: 'atlassian-audit-receiver', version: '0.1.0' },
    });
    expect(second).toMatchObject({ timeUnixNano: 0n, body: Infinity, severityNumber: 0, attributes: {} });
    expect(third).toMatchObject({ body: null, scope: { name: 'other', version: '' } });
    expect(fourth).toMatchObject({ severityNumber: 17, body: null, resource: {}, scope: { name: '', version: '' } });
  });

  it.each([
    ['examples/logs.json', example('logs.json')],
    ['examples/events.json', example('events.json')],
    ['hand-built request', HAND_BUILT],
  ])('gives identical records for %s sent as JSON and as protobuf, with and without gzip', async (_name, json) => {
    const proto = protobufFromJson(json);
    const results: ReceivedLogRecord[][] = [];
    for (const gzip of [false, true]) {
      for (const [body, type] of [[json, 'application/json'], [proto, 'application/x-protobuf']] as const) {
        const before = collector.records.length;
        expect((await post(collector, body, type, gzip)).status).toBe(200);
        results.push(collector.records.slice(before));
      }
    }
    expect(results[0]?.length).toBeGreaterThan(0);
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    expect(collector.requests.map((r) => r.contentEncoding)).toEqual([undefined, undefined, 'gzip', 'gzip']);
  });

  it('keeps the event name of examples/events.json', async () => {
    await post(collector, example('events.json'), 'application/json');
    expect(collector.records[0]).toMatchObject({ eventName: 'browser.page_view', severityNumber: 9, body: { type: 0 } });
  });

  it.each([
    ['truncated protobuf', Buffer.from([0x0a, 0xff, 0x01]), 'application/x-protobuf', false, /protobuf body rejected/],
    ['invalid JSON', '{"resourceLogs": [', 'application/json', false, /invalid JSON/],
    ['enum written as a name', JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 'SEVERITY_NUMBER_INFO' }] }] }] }), 'application/json', false, /enums must be integers/],
    ['snake_case key', JSON.stringify({ resource_logs: [] }), 'application/json', false, /lowerCamelCase \("resourceLogs"\)/],
    ['unsafe 64-bit number', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1779184801000000001}]}]}]}', 'application/json', false, /64-bit integer/],
    ['base64 trace id', JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'W47/95gDgQPSabYzgT/GDA==' }] }] }] }), 'application/json', false, /hex/],
    ['two AnyValue kinds at once', JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'a', intValue: '1' } }] }] }] }), 'application/json', false, /more than one/],
  ])('rejects a malformed body (%s) with 400 and records the error', async (_name, body, type, gzip, message) => {
    const res = await post(collector, body, type, gzip);
    expect(res.status).toBe(400);
    expect(collector.records).toEqual([]);
    expect(collector.errors).toEqual([expect.stringMatching(message)]);
    expect(collector.requests).toMatchObject([{ status: 400, recordCount: 0, error: expect.stringMatching(message) }]);
  });

  it('rejects a body whose gzip encoding is broken, and unknown content types', async () => {
    const res = await fetch(`${collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{"resourceLogs":[]}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 3, message: expect.stringContaining('json body rejected') });
    expect((await post(collector, 'hello', 'text/plain')).status).toBe(415);
    expect(collector.requests.map((r) => r.status)).toEqual([400, 415]);
  });

  it('answers a scripted status without keeping the records, then serves normally again', async () => {
    collector.enqueue({ status: 503, headers: { 'retry-after': '2' } }, { status: 400, body: 'nope', headers: { 'content-type': 'text/plain' } });
    const proto = protobufFromJson(example('logs.json'));
    const first = await post(collector, proto, 'application/x-protobuf');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    const second = await post(collector, example('logs.json'), 'application/json');
    expect([second.status, second.headers.get('content-type'), await second.text()]).toEqual([400, 'text/plain', 'nope']);
    expect(collector.records).toEqual([]);
    expect((await post(collector, proto, 'application/x-protobuf')).status).toBe(200);
    expect(collector.records).toHaveLength(1);
    expect(collector.requests.map((r) => [r.status, r.recordCount])).toEqual([[503, 1], [400, 1], [200, 1]]);
  });

  it('answers partial success in the request encoding and keeps the records', async () => {
    const partialSuccess = { rejectedLogRecords: 1, errorMessage: 'too old' };
    collector.enqueue({ partialSuccess }, { partialSuccess });
    const json = await post(collector, example('logs.json'), 'application/json');
    expect(await json.json()).toEqual({ partialSuccess: { rejectedLogRecords: '1', errorMessage: 'too old' } });
    const proto = await post(collector, protobufFromJson(example('logs.json')), 'application/x-protobuf');
    const decoded = ResponseType.toObject(ResponseType.decode(new Uint8Array(await proto.arrayBuffer())), { longs: Number });
    expect(decoded).toEqual({ partialSuccess });
    expect(collector.records).toHaveLength(2);
  });

  it('hangs before answering, and drops the records of a client that gave up', async () => {
    collector.enqueue({ hangMs: 150 }, { hangMs: 300 });
    const started = Date.now();
    expect((await post(collector, example('logs.json'), 'application/json')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(collector.records).toHaveLength(1);

    const aborted = fetch(`${collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: example('logs.json'),
      signal: AbortSignal.timeout(50),
    });
    await expect(aborted).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(collector.records).toHaveLength(1);
    expect(collector.requests.map((r) => r.status)).toEqual([200, 0]);
  });

  it('destroys the socket without answering', async () => {
    collector.enqueue({ destroy: true });
    await expect(post(collector, example('logs.json'), 'application/json')).rejects.toThrow(/fetch failed/);
    expect(collector.records).toEqual([]);
    expect(collector.requests).toMatchObject([{ status: 0, recordCount: 1 }]);
  });

  it('waitForRecords resolves when records arrive and explains a timeout', async () => {
    const waiting = collector.waitForRecords(1, 2_000);
    await post(collector, example('logs.json'), 'application/json');
    await expect(waiting).resolves.toHaveLength(1);
    await expect(collector.waitForRecords(5, 50)).rejects.toThrow(/timed out waiting for 5 records \(have 1/);
  });

  it('close() drops idle keep-alive connections instead of waiting for them', async () => {
    const other = await startCollector();
    await post(other, example('logs.json'), 'application/json');
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
