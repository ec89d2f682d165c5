// Per destination: what arrived is compared, record by record, with what the receiver emitted
// (harness/reference.ts). Each check returns how often each field was compared, so a check
// that compared nothing fails instead of passing silently.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { ReceivedLogRecord } from '../../helpers/otlp-collector.js';
import { field, type ElasticsearchStandIn } from '../stand-ins/elasticsearch.js';
import type { UidTally } from '../stand-ins/intake-server.js';
import type { OtlpIntake } from '../stand-ins/otlp-intake.js';
import type { Reference } from './reference.js';

export type Compared = Record<string, number>;

const attr = (r: ReceivedLogRecord, key: string): unknown => r.attributes[key];
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** Every reference record arrived exactly once, and nothing else arrived. */
export function expectExactlyOnce(tally: UidTally, ref: Reference, where: string): void {
  expect(tally.uids(), `${where}: the set of log.record.uid`).toEqual([...ref.byUid.keys()].sort());
  expect(tally.duplicates, `${where}: duplicates`).toBe(0);
}

/** Compares `actual(field)` with `expected(record)` for every record where the expectation is present. */
function compare(compared: Compared, name: string, pairs: Iterable<[ReceivedLogRecord, unknown]>, expected: (r: ReceivedLogRecord) => unknown): void {
  for (const [r, actual] of pairs) {
    const want = expected(r);
    if (!present(want)) continue;
    expect(actual, `${name} of ${String(attr(r, 'log.record.uid'))}`).toEqual(want);
    compared[name] = (compared[name] ?? 0) + 1;
  }
}

/** Every source type contributed at least one comparison of each field it can carry. */
export function expectEverySourceCompared(ref: Reference, perSource: Map<string, Compared>, fields: string[]): void {
  for (const source of ref.bySource.keys()) {
    const c = perSource.get(source) ?? {};
    for (const f of fields) expect(c[f] ?? 0, `${source}: ${f} compared on no record`).toBeGreaterThan(0);
  }
}

function bySource<T>(ref: Reference, items: Map<string, T>, fn: (records: [ReceivedLogRecord, T][], compared: Compared) => void): Map<string, Compared> {
  const out = new Map<string, Compared>();
  for (const [source, records] of ref.bySource) {
    const compared: Compared = {};
    fn(records.map((r) => [r, items.get(String(attr(r, 'log.record.uid')))!] as [ReceivedLogRecord, T]), compared);
    out.set(source, compared);
  }
  return out;
}


export function checkElasticEcs(es: ElasticsearchStandIn, ref: Reference): Map<string, Compared> {
  const index = 'logs-atlassian.audit-default';
  expectExactlyOnce(es.uidsIn(index), ref, `elasticsearch ${index}`);
  const docs = new Map(es.documents.filter((d) => d.index === index).map((d) => [String(field(d.doc, 'log.record.uid')), d.doc]));
  return bySource(ref, docs, (pairs, c) => {
    const at = (key: string) => pairs.map(([r, d]) => [r, field(d, key)] as [ReceivedLogRecord, unknown]);
    compare(c, '@timestamp', pairs.map(([r, d]) => [r, Date.parse(String(field(d, '@timestamp')))]), (r) => Number(r.timeUnixNano / 1_000_000n));
    compare(c, 'data_stream.dataset', at('data_stream.dataset'), () => 'atlassian.audit');
    compare(c, 'event.action', at('event.action'), (r) => attr(r, 'atlassian.audit.action'));
    compare(c, 'observer.product', at('observer.product'), (r) => (attr(r, 'atlassian.deployment') === 'cloud' ? 'Atlassian Cloud' : undefined));
    compare(c, 'event.category', at('event.category'), (r) => attr(r, 'atlassian.event.category'));
    compare(c, 'event.type', at('event.type'), (r) => attr(r, 'atlassian.event.type'));
    compare(c, 'event.outcome', at('event.outcome'), (r) => attr(r, 'atlassian.event.outcome'));
    compare(c, 'user.id', at('user.id'), (r) => attr(r, 'user.id'));
    compare(c, 'user.email', at('user.email'), (r) => attr(r, 'user.email'));
    compare(c, 'user.name', at('user.name'), (r) => attr(r, 'user.full_name'));
    compare(c, 'source.ip', at('source.ip'), (r) => attr(r, 'client.address'));
    compare(c, 'source.geo.city_name', at('source.geo.city_name'), (r) => attr(r, 'geo.locality.name'));
    compare(c, 'source.geo.region_name', at('source.geo.region_name'), (r) => attr(r, 'atlassian.location.region_name'));
    compare(c, 'source.geo.country_name', at('source.geo.country_name'), (r) => attr(r, 'atlassian.location.country_name'));
    compare(c, 'source.geo.country_iso_code', at('source.geo.country_iso_code'), (r) => attr(r, 'geo.country.iso_code'));
    compare(c, 'related.ip', at('related.ip'), (r) => (present(attr(r, 'client.address')) ? [attr(r, 'client.address')] : undefined));
    compare(c, 'related.user', at('related.user'), (r) => {
      const users = [attr(r, 'user.full_name'), attr(r, 'user.email')].filter(present);
      return users.length > 0 ? users : undefined;
    });
  });
}

export function checkElasticOtel(es: ElasticsearchStandIn, ref: Reference): Map<string, Compared> {
  const index = 'logs-atlassian.audit.otel-default';
  expectExactlyOnce(es.uidsIn(index), ref, `elasticsearch ${index}`);
  const docs = new Map(es.documents.filter((d) => d.index === index).map((d) => [String(field(d.doc, 'attributes.log.record.uid')), d.doc]));
  return bySource(ref, docs, (pairs, c) => {
    for (const [r, d] of pairs) {
      const attributes = (d as { attributes?: Record<string, unknown> }).attributes ?? {};
      for (const [key, value] of Object.entries(r.attributes)) {
        expect(attributes[key], `attributes.${key} of ${String(attr(r, 'log.record.uid'))}`).toEqual(value);
        c['attributes.*'] = (c['attributes.*'] ?? 0) + 1;
      }
    }
    // A map body is indexed as structure; a string body (exporter.bodyFormat: json) as text.
    compare(c, 'body (raw record)', pairs.map(([r, d]) => [r, field(d, 'body.structured') ?? field(d, 'body.flattened') ?? field(d, 'body.text')]), (r) => r.body);
  });
}

/**
 * Datadog (datadog-otlp.yaml through the OTLP logs intake): the standard attributes Datadog users
 * search on, the `source` tag's attribute and the `service` tag's resource attribute.
 */
export function checkDatadog(intake: OtlpIntake, ref: Reference): Map<string, Compared> {
  expectExactlyOnce(intake.uids, ref, 'datadog');
  const records = new Map(intake.records.map((r) => [String(r.attributes['log.record.uid']), r]));
  return bySource(ref, records, (pairs, c) => {
    const at = (key: string) => pairs.map(([r, got]) => [r, got.attributes[key]] as [ReceivedLogRecord, unknown]);
    compare(c, 'usr.id', at('usr.id'), (r) => attr(r, 'user.id'));
    compare(c, 'usr.email', at('usr.email'), (r) => attr(r, 'user.email'));
    compare(c, 'usr.name', at('usr.name'), (r) => attr(r, 'user.full_name'));
    compare(c, 'network.client.ip', at('network.client.ip'), (r) => attr(r, 'client.address'));
    compare(c, 'evt.name', at('evt.name'), (r) => attr(r, 'atlassian.audit.action'));
    compare(c, 'evt.outcome', at('evt.outcome'), (r) => attr(r, 'atlassian.event.outcome'));
    compare(c, 'source', at('datadog.log.source'), () => 'atlassian');
    compare(c, 'service', pairs.map(([r, got]) => [r, got.resource['service.name']]), (r) => r.resource['service.name']);
    compare(c, 'body', pairs.map(([r, got]) => [r, got.body]), (r) => r.body);
  });
}

/** OTLP destinations: the record arrives as the receiver sent it (Sumo Logic: every attribute and the body). */
export function checkOtlpAsSent(intake: OtlpIntake, ref: Reference, where: string, keys?: string[]): Map<string, Compared> {
  expectExactlyOnce(intake.uids, ref, where);
  const records = new Map(intake.records.map((r) => [String(r.attributes['log.record.uid']), r]));
  return bySource(ref, records, (pairs, c) => {
    for (const [r, got] of pairs) {
      for (const key of keys ?? Object.keys(r.attributes)) {
        if (!(key in r.attributes)) continue;
        expect(got.attributes[key], `${where}: ${key} of ${String(attr(r, 'log.record.uid'))}`).toEqual(r.attributes[key]);
        c[key] = (c[key] ?? 0) + 1;
      }
    }
    compare(c, 'body', pairs.map(([r, got]) => [r, got.body]), (r) => r.body);
    compare(c, 'timestamp', pairs.map(([r, got]) => [r, got.timeUnixNano]), (r) => r.timeUnixNano);
    compare(c, 'severity', pairs.map(([r, got]) => [r, `${got.severityText}/${got.severityNumber}`]), (r) => `${r.severityText}/${r.severityNumber}`);
    compare(c, 'service.name', pairs.map(([r, got]) => [r, got.resource['service.name']]), (r) => r.resource['service.name']);
  });
}

/** The attribute keys deploy/sentinel's parsers read (`Attributes['…']`), from the KQL itself. */
export function sentinelParserKeys(): string[] {
  const dir = resolve(import.meta.dirname, '../../../deploy/sentinel');
  const kql = ['AtlassianAuditParser.kql', 'JiraAuditCompat.kql'].map((f) => readFileSync(resolve(dir, f), 'utf8')).join('\n');
  return [...new Set([...kql.matchAll(/Attributes\['([^']+)'\]/g)].map((m) => m[1]!))].sort();
}

/** Merges per-source comparison counts into one line per source, for the suite's summary. */
export function summary(where: string, perSource: Map<string, Compared>): string {
  return [...perSource].map(([source, c]) => `${where} ${source}: ${Object.entries(c).map(([k, n]) => `${k}=${n}`).join(' ')}`).join('\n');
}
