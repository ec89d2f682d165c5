// exporter.bodyFormat: `json` sends each record's body as one string, its JSON text, instead of
// an OTLP map; attributes and everything else stay as they are. Checked end to end through the
// CLI and a loopback collector that decodes with the official .proto files (and OTLP/JSON).
import { describe, expect, it } from 'vitest';
import { wireBody } from '../../src/otlp/body-format.js';
import { OtlpHttpSink } from '../../src/otlp/otlp-http-sink.js';
import { receiverResource } from '../../src/otlp/resource.js';
import { Severity, type AttributeValue, type AuditLogRecord } from '../../src/pipeline/audit-log-record.js';
import { jsonText, MAX_VALUE_DEPTH } from '../../src/pipeline/depth-limit.js';
import { fixtureEvents } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';
import { orgConfig, runCli, writeConfig } from '../helpers/cli.js';

const ORG = '00000000-0000-0000-0000-0000000000b0';
const KEY = 'org-api-key-body-format-41c2';
const env = { TEST_ORG_API_KEY: KEY };
const servers = useOrgServers(ORG, KEY);

describe('wireBody', () => {
  it('writes maps and lists as their JSON text for json, and leaves them alone for map', () => {
    const body = { id: 'e1', attributes: { action: 'user_login', n: 3, ok: true, none: null, list: ['a', { b: 'é✓' }] } };
    expect(wireBody(body, 'json')).toBe(JSON.stringify(body));
    expect(wireBody(['x', 1], 'json')).toBe('["x",1]');
    expect(wireBody(body, 'map')).toBe(body);
    expect(wireBody(body, undefined)).toBe(body);
  });

  it('leaves a scalar body as it is rather than quoting it', () => {
    for (const scalar of ['plain text', 42, false, null] as const) expect(wireBody(scalar, 'json')).toBe(scalar);
  });

  it('writes a body nested deeper than JSON.stringify can recurse, whole', () => {
    let deep: AttributeValue = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = wireBody(deep, 'json') as string;
    expect(text).toBe(jsonText(deep));
    expect(text.length).toBe(200_000 * 2 + '"leaf"'.length);
  });
});

describe('exporter.bodyFormat end to end', () => {
  it("names the setting in the exporter's description (run's start-up line) only when it is json", () => {
    const sink = (bodyFormat?: 'map' | 'json') =>
      new OtlpHttpSink({ logsUrl: 'http://127.0.0.1:4318/v1/logs', protocol: 'http/protobuf', compression: 'gzip', headers: {}, timeoutMs: 1_000, maxRetryTimeMs: 0, ...(bodyFormat ? { bodyFormat } : {}) }, receiverResource({ name: 'svc', resourceAttributes: {} }));
    expect(sink('json').description).toBe('http/protobuf to http://127.0.0.1:4318/v1/logs, bodies as JSON text');
    expect(sink('map').description).toBe('http/protobuf to http://127.0.0.1:4318/v1/logs');
    expect(sink().description).toBe('http/protobuf to http://127.0.0.1:4318/v1/logs');
  });

  it.each(['http/protobuf', 'http/json'])('json sends the original events as JSON text, attributes unchanged (%s)', async (protocol) => {
    const run = async (bodyFormat: string) => {
      const from = servers.collector.records.length;
      const config = orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, protocol }).replace('  timeout: 5s\n', `  timeout: 5s\n  bodyFormat: ${bodyFormat}\n`);
      const { file } = writeConfig(config);
      const result = await runCli(['once', '--config', file], { env });
      expect(result.code, result.stderr).toBe(0);
      return servers.collector.records.slice(from).sort((a, b) => String(a.attributes['log.record.uid']).localeCompare(String(b.attributes['log.record.uid'])));
    };
    const asMap = await run('map');
    const asJson = await run('json');
    const events = new Map(fixtureEvents().map((e) => [`${ORG}:${e.id}`, e]));
    expect(asJson).toHaveLength(events.size);
    for (const [i, record] of asJson.entries()) {
      const event = events.get(String(record.attributes['log.record.uid']));
      expect(typeof record.body).toBe('string');
      expect(JSON.parse(record.body as string)).toEqual(event);
      expect(asMap[i]!.body).toEqual(event);
      expect(record.attributes).toEqual(asMap[i]!.attributes);
      // Everything else as with map, but what differs from one run to the next.
      const rest = (r: typeof record) => ({ ...r, body: undefined, observedTimeUnixNano: undefined, resource: { ...r.resource, 'service.instance.id': undefined } });
      expect(rest(record)).toEqual(rest(asMap[i]!));
    }
  });

  it('refuses an unknown value with one line naming the key', async () => {
    const config = orgConfig({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG }).replace('  timeout: 5s\n', '  timeout: 5s\n  bodyFormat: xml\n');
    const { file } = writeConfig(config);
    const result = await runCli(['check', '--config', file], { env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/exporter\.bodyFormat.*must be map or json/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('exporter.bodyFormat: json and the depth limit', () => {
  // Only a structured body can be too deep to send; as JSON text it is one string on both protocols.
  it('sends a body nested past MAX_VALUE_DEPTH whole, as text, on both protocols', () => {
    let deep: AttributeValue = 'leaf';
    for (let i = 0; i < MAX_VALUE_DEPTH + 8; i++) deep = { k: deep };
    const record: AuditLogRecord = { uid: 'u', timeMs: 1, observedMs: 2, eventName: 'e', severity: Severity.INFO, body: deep, attributes: { a: 'x' } };
    const resource = receiverResource({ name: 'svc', resourceAttributes: {} });
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      const config = { logsUrl: 'http://127.0.0.1:9/v1/logs', protocol, compression: 'none', headers: {}, timeoutMs: 1_000, maxRetryTimeMs: 0 } as const;
      expect(new OtlpHttpSink(config, resource).prepare(record), `${protocol}, map body`).toBeUndefined();
      const prepared = new OtlpHttpSink({ ...config, bodyFormat: 'json' }, resource).prepare(record);
      expect(prepared, `${protocol}, json body`).toBeDefined();
      if (protocol === 'http/json') expect(prepared!.body).toBe(JSON.stringify(deep));
    }
  });
});
