// A record id holding a lone surrogate cannot cross UTF-8 intact: it becomes U+FFFD. Two such
// ids would reach the SIEM as one log.record.uid and one record would be dropped as a
// duplicate. Those records are keyed by content instead, so their uids stay distinct.
import { describe, expect, it } from 'vitest';
import { mapJiraRecord } from '../../src/sources/jira-audit/map.js';
import { mapOrgEvent } from '../../src/sources/org-events/map.js';

const onTheWire = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');
const JIRA = { site: 'https://acme.atlassian.net', siteHost: 'acme.atlassian.net', sourceName: 'jira', observedMs: 0 };
const ORG = { orgId: 'org-1', sourceName: 'org', observedMs: 0 };

describe('ids with lone surrogates', () => {
  it('Jira: two broken ids keep distinct uids on the wire; a sound id is kept as it is', () => {
    const a = mapJiraRecord({ id: 'x\ud800', summary: 'a' }, JIRA).uid;
    const b = mapJiraRecord({ id: 'x\udc00', summary: 'b' }, JIRA).uid;
    expect(onTheWire(a)).not.toBe(onTheWire(b));
    expect(a).toMatch(/^acme\.atlassian\.net:sha256:[0-9a-f]{64}$/);
    expect(mapJiraRecord({ id: 'é😀', summary: 'c' }, JIRA).uid).toBe('acme.atlassian.net:é😀');
  });

  it('org: two broken ids keep distinct uids on the wire', () => {
    const a = mapOrgEvent({ id: '\ud800', type: 'events' }, ORG).uid;
    const b = mapOrgEvent({ id: '\udfff', type: 'events' }, ORG).uid;
    expect(onTheWire(a)).not.toBe(onTheWire(b));
    expect(a).toMatch(/^org-1:sha256:[0-9a-f]{64}$/);
  });
});
