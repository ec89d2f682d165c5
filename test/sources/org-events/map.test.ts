import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Severity } from '../../../src/pipeline/audit-log-record.js';
import type { AuditLogRecord } from '../../../src/pipeline/audit-log-record.js';
import { mapOrgEvent } from '../../../src/sources/org-events/map.js';

const ELASTIC_DIR = fileURLToPath(new URL('../../fixtures/org-events/elastic/', import.meta.url));
const CTX = { orgId: 'org-1', sourceName: 'org-events', observedMs: 1_700_000_000_000 };

/** Elastic's expected document: only the fields we compare against. */
interface ElasticDoc {
  '@timestamp': string;
  event: { action: string; id: string; created?: string; category: string[]; type: string[]; outcome: string };
  message?: string;
  user?: { id?: string; name?: string; email?: string };
  source?: { ip?: string; geo?: { city_name?: string; country_name?: string; region_name?: string } };
  atlassian_cloud?: {
    audit?: {
      actor?: {
        app?: { id?: string; name?: string };
        auth?: { auth_type?: string; token_id?: string; token_label?: string };
      };
      location?: { geo?: string };
      message?: { format?: string };
      container?: unknown[];
      context?: unknown[];
    };
  };
}

const fixtures = readdirSync(ELASTIC_DIR)
  .filter((f) => f.endsWith('.log'))
  .sort()
  .map((file) => {
    const events = readFileSync(ELASTIC_DIR + file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line): unknown => JSON.parse(line));
    const expected = (JSON.parse(readFileSync(`${ELASTIC_DIR}${file}-expected.json`, 'utf8')) as {
      expected: ElasticDoc[];
    }).expected;
    return { name: file.replace(/\.log$/, ''), events, expected };
  });

/** Elastic keeps the objects whole; we keep their ids (undefined when there are none). */
function refIds(refs: unknown[] | undefined): string[] | undefined {
  const ids = (refs ?? []).map((r) => (r as { id?: unknown }).id).filter((id): id is string => typeof id === 'string' && id !== '');
  return ids.length > 0 ? ids : undefined;
}

function stablePart(record: AuditLogRecord): Omit<AuditLogRecord, 'observedMs' | 'body'> {
  const { uid, timeMs, eventName, severity, attributes } = record;
  return { uid, timeMs, eventName, severity, attributes };
}

describe('mapOrgEvent against Elastic atlassian_cloud pipeline fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  describe.each(fixtures)('$name', ({ name, events, expected }) => {
    it('has one expected document per event', () => {
      expect(events).toHaveLength(expected.length);
    });

    it.each(events.map((raw, i) => ({ raw, exp: expected[i] as ElasticDoc, line: `line ${i + 1}` })))(
      '$line agrees with Elastic',
      ({ raw, exp }) => {
        const record = mapOrgEvent(raw, CTX);
        const a = record.attributes;
        const audit = exp.atlassian_cloud?.audit;

        expect(a['atlassian.receiver.schema_error']).toBeUndefined();
        expect(record.body).toBe(raw);
        expect(record.eventName).toBe('atlassian.org.audit_event');
        expect(record.uid).toBe(`${CTX.orgId}:${exp.event.id}`);
        expect(a['log.record.uid']).toBe(record.uid);
        expect(a['atlassian.event.id']).toBe(exp.event.id);
        expect(a['atlassian.audit.action']).toBe(exp.event.action);
        expect(record.timeMs).toBe(Date.parse(exp['@timestamp']));
        expect(a['atlassian.audit.processed_at']).toBe(exp.event.created);

        expect(a['user.id']).toBe(exp.user?.id);
        expect(a['user.full_name']).toBe(exp.user?.name);
        expect(a['user.email']).toBe(exp.user?.email);
        expect(a['atlassian.actor.app.id']).toBe(audit?.actor?.app?.id);
        expect(a['atlassian.actor.app.name']).toBe(audit?.actor?.app?.name);
        expect(a['atlassian.actor.auth.type']).toBe(audit?.actor?.auth?.auth_type);
        expect(a['atlassian.actor.auth.token_id']).toBe(audit?.actor?.auth?.token_id);
        expect(a['atlassian.actor.auth.token_label']).toBe(audit?.actor?.auth?.token_label);

        expect(a['client.address']).toBe(exp.source?.ip);
        expect(a['geo.locality.name']).toBe(exp.source?.geo?.city_name);
        expect(a['atlassian.location.country_name']).toBe(exp.source?.geo?.country_name);
        expect(a['atlassian.location.region_name']).toBe(exp.source?.geo?.region_name);
        expect(a['atlassian.location.geo']).toBe(audit?.location?.geo);

        // Flattened, not copied: the body carries the objects whole.
        expect(a['atlassian.audit.container']).toBeUndefined();
        expect(a['atlassian.audit.context']).toBeUndefined();
        expect(a['atlassian.audit.container.ids']).toEqual(refIds(audit?.container));
        expect(a['atlassian.audit.context.ids']).toEqual(refIds(audit?.context));
        expect(a['atlassian.deployment']).toBe('cloud');
        expect(a['atlassian.audit.message']).toBe(exp.message);
        expect(a['atlassian.audit.message_format']).toBe(audit?.message?.format);

        expect(a['atlassian.event.category']).toEqual(exp.event.category);
        expect(a['atlassian.event.type']).toEqual(exp.event.type);
        expect(a['atlassian.event.outcome']).toBe(exp.event.outcome);
        const failed = exp.event.outcome === 'failure';
        expect(record.severity).toBe(failed ? Severity.WARN : Severity.INFO);
      },
    );

    it('matches its golden snapshot', async () => {
      const mapped = events.map((raw) => stablePart(mapOrgEvent(raw, CTX)));
      await expect(`${JSON.stringify(mapped, null, 2)}\n`).toMatchFileSnapshot(
        `../../fixtures/org-events/golden/${name}.json`,
      );
    });
  });
});

function assertWellFormed(raw: unknown): void {
  const record = mapOrgEvent(raw, CTX);
  expect(record.eventName).toBe('atlassian.org.audit_event');
  expect(record.uid.startsWith(`${CTX.orgId}:`)).toBe(true);
  expect(record.uid.length).toBeGreaterThan(CTX.orgId.length + 1);
  expect(record.attributes['log.record.uid']).toBe(record.uid);
  expect(Number.isFinite(record.timeMs)).toBe(true);
  expect(Object.values(record.attributes)).not.toContain(undefined);
  expect(record.body).toBe(raw === undefined ? null : raw);
}

describe('mapOrgEvent never throws', () => {
  it('for fc.anything()', () => {
    fc.assert(fc.property(fc.anything(), (raw) => assertWellFormed(raw)), { numRuns: 500 });
  });

  it('for parsed fc.json()', () => {
    fc.assert(fc.property(fc.json(), (text) => assertWellFormed(JSON.parse(text))), { numRuns: 500 });
  });
});

const sample = (): Record<string, unknown> =>
  JSON.parse(readFileSync(`${ELASTIC_DIR}test-api-token-created.log`, 'utf8')) as Record<string, unknown>;

/** Field paths whose value must be a string, object or array; a number or boolean is never valid. */
const TYPED_PATHS = [
  ['id'],
  ['attributes', 'time'],
  ['attributes', 'action'],
  ['attributes', 'actor'],
  ['attributes', 'actor', 'name'],
  ['attributes', 'actor', 'auth', 'tokenId'],
  ['attributes', 'location'],
  ['attributes', 'location', 'ip'],
  ['attributes', 'context'],
  ['message', 'content'],
] as const;

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
}

describe('schema errors', () => {
  it('flags wrong-typed fields but keeps the body and the upstream id', () => {
    const wrong = fc.oneof(fc.integer(), fc.double(), fc.boolean());
    fc.assert(
      fc.property(fc.constantFrom(...TYPED_PATHS), wrong, (path, value) => {
        const raw = sample();
        setPath(raw, path, value);
        const record = mapOrgEvent(raw, CTX);
        const error = record.attributes['atlassian.receiver.schema_error'];
        expect(typeof error).toBe('string');
        expect(error as string).toContain(path.join('.'));
        expect((error as string).length).toBeLessThanOrEqual(300);
        expect(record.body).toBe(raw);
        if (path.join('.') !== 'id') expect(record.uid).toBe(`${CTX.orgId}:${String(raw['id'])}`);
        assertWellFormed(raw);
      }),
    );
  });
});
