import { describe, expect, it } from 'vitest';
import { HttpStatusError } from '../../src/errors/http-status-error.js';
import { TransientError } from '../../src/errors/transient-error.js';
import { fixtureEvents, type OrgEventsFault } from '../helpers/org-events-server.js';
import { useOrgServers } from '../helpers/org-servers.js';
import { orgHarness } from '../helpers/org-harness.js';

const ORG = 'org-faults-1';
const KEY = 'api-key-SECRET-4f1e2d';
const servers = useOrgServers(ORG, KEY);

const expected = () => fixtureEvents().map((e) => `${ORG}:${e.id}`).sort();
const received = () => servers.collector.records.map((r) => String(r.attributes['log.record.uid'])).sort();
const harness = (source = {}) => orgHarness({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, apiKey: KEY, source });

// Each scenario: faults injected into the API's answers; the collector must end with exactly every event, once.
const scenarios: [string, OrgEventsFault[]][] = [
  ['429 with Retry-After seconds', [{ status: 429, headers: { 'retry-after': '1' } }]],
  ['429 with Retry-After HTTP-date', [{ status: 429, headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } }]],
  ['429 with X-RateLimit-Reset', [{ status: 429, headers: { 'x-ratelimit-reset': new Date(Date.now() + 300).toISOString() } }]],
  ['429 storm without headers', [{ status: 429 }, { status: 429 }, { status: 429 }, { status: 429 }]],
  ['5xx burst', [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }]],
  ['timeout', [{ hangMs: 2_500 }]],
  ['connection reset', [{ destroy: true }, { destroy: true }]],
  ['truncated body', [{ truncate: true }]],
  ['HTML error page with 200', [{ html: true }]],
  ['malformed JSON with 200', [{ status: 200, body: '{"data":[{"id":' }]],
  ['unexpected envelope', [{ status: 200, body: '{"results":[]}' }]],
];

describe('API faults: retried, reported, nothing skipped', () => {
  it.each(scenarios)('%s', async (_name, faults) => {
    const h = harness();
    // Fault the first page, and again in the middle of the walk.
    servers.api.enqueue(...faults);
    const summary = await h.cycle();
    expect(summary.delivered).toBe(expected().length);
    expect(received()).toEqual(expected());
    const retries = h.logger.lines.filter((l) => l.fields['event'] === 'api.retry');
    expect(retries.length).toBeGreaterThanOrEqual(faults.length);
    expect(retries[0]!.fields).toMatchObject({ source: 'acme-org', path: `/admin/v1/orgs/${ORG}/events-stream` });
    // One line per wait, saying why: the server's Retry-After, or our own backoff.
    const told = 'status' in faults[0]! && faults[0].status === 429 && faults[0].headers !== undefined;
    expect(retries[0]!.fields['waitReason']).toBe(told ? 'Retry-After' : 'backoff');
    expect(retries[0]!.msg).toBe(told ? `rate limited by the API; waiting ${Math.ceil(Number(retries[0]!.fields['retryInMs']) / 1_000)} s as it asked (Retry-After)` : 'request failed, will retry');
    expect(h.logger.text()).not.toContain(KEY);
  });

  it('does not retry a 401 and names the credential and scope', async () => {
    const h = orgHarness({ apiUrl: servers.api.url, collectorUrl: servers.collector.url, orgId: ORG, apiKey: 'revoked-key-XYZ' });
    const err = await h.cycle().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).describe()).toMatch(/401.*apiKey.*read:events:admin.*source=acme-org GET \/admin\/v1\/orgs\/org-faults-1\/events-stream status=401/);
    expect(servers.api.requests).toHaveLength(1);
    expect(await h.store.get('acme-org')).toBeUndefined();
  });

  it('gives up after the retry deadline without moving the checkpoint, and catches up on the next poll', async () => {
    const h = harness({ retryDeadline: 400 });
    await h.cycle(); // everything delivered once
    servers.api.addEvents({ ...fixtureEvents()[0]!, id: 'new-1', attributes: { ...fixtureEvents()[0]!.attributes, processedAt: new Date(Date.now() - 500).toISOString() } });
    const before = await h.store.get('acme-org');
    servers.api.enqueue(...Array.from({ length: 30 }, () => ({ status: 503 })));
    const err = await h.cycle().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).describe()).toMatch(/the API answered 503; still failing after \d+ attempts.*status=503/);
    expect(await h.store.get('acme-org')).toEqual(before);
    servers.api.enqueue(); // queue drains by itself below
    while (servers.api.requests.length < 100 && (await h.cycle().then(() => false, () => true))) { /* drain remaining faults */ }
    expect(received()).toEqual([...expected(), `${ORG}:new-1`].sort());
  });

  it('fails the poll on an event that is not JSON in an otherwise well-formed page, delivering and committing nothing of it, and catches up on the next poll', async () => {
    const h = harness();
    // Brackets balance, so the page is split into events; the second one is not JSON.
    servers.api.enqueue({ status: 200, body: '{"data":[{"id":"ok-1","attributes":{"time":"2026-01-01T00:00:00Z"}},{"id":tru}],"meta":{"next":null}}' });
    const err = await h.cycle().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).describe()).toBe(`response body is not valid JSON (event 2 of 2 in data) (source=acme-org GET /admin/v1/orgs/${ORG}/events-stream status=200)`);
    expect(servers.collector.records).toHaveLength(0);
    expect(await h.store.get('acme-org')).toBeUndefined();
    await h.cycle();
    expect(received()).toEqual(expected());
  });

  it('delivers a record that does not match the schema, flagged, body intact', async () => {
    const bad = { type: 'events', id: 'bad-1', attributes: { time: 12345, processedAt: new Date(Date.now() - 100).toISOString(), actor: 'nobody', surprise: { kept: true } } };
    servers.api.addEvents(bad as never);
    const h = harness();
    await h.cycle();
    const rec = servers.collector.records.find((r) => r.attributes['log.record.uid'] === `${ORG}:bad-1`)!;
    expect(rec.attributes['atlassian.receiver.schema_error']).toMatch(/time/);
    expect(rec.body).toEqual(bad);
    expect(received()).toEqual([...expected(), `${ORG}:bad-1`].sort());
  });

  it('drops an event the API sends twice in one process lifetime', async () => {
    const h = harness();
    await h.cycle();
    // The same event re-processed later (a duplicate in the stream), plus a genuinely new one.
    const dup = { ...fixtureEvents()[2]!, attributes: { ...fixtureEvents()[2]!.attributes, processedAt: new Date(Date.now() - 300).toISOString() } };
    const fresh = { ...fixtureEvents()[3]!, id: 'fresh-1', attributes: { ...fixtureEvents()[3]!.attributes, processedAt: new Date(Date.now() - 200).toISOString() } };
    servers.api.addEvents(dup, fresh);
    const second = await h.cycle();
    expect(second.duplicatesDropped).toBe(1);
    expect(received()).toEqual([...expected(), `${ORG}:fresh-1`].sort());
  });
});
