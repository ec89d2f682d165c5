import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { configuredExpiries, daysLeft, describeExpiry, expiryState } from '../../src/telemetry/credential-expiry.js';
import { CredentialExpiryWatch } from '../../src/telemetry/credential-expiry-watch.js';
import { MemoryLogger } from '../helpers/org-harness.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-05-19T12:00:00Z');

const yaml = `sources:
  - { name: acme-org, type: org-events, orgId: o-1, apiKey: k-secret-1, apiKeyExpiresAt: "2026-06-01" }
  - name: acme-jira
    type: jira-audit
    site: https://acme.atlassian.net
    auth: { type: scoped-token, email: bot@acme.example, apiToken: t-secret-2, expiresAt: "2026-05-25T12:00:00+02:00" }
  - { name: acme-wiki, type: confluence-audit, site: https://acme.atlassian.net, auth: { type: client-credentials, clientId: c-1, clientSecret: s-secret-3 } }
  - { name: jira-dc, type: datacenter-audit, product: jira, baseUrl: https://jira.acme.internal, auth: { type: pat, token: p-secret-4, expiresAt: "2026-07-01" } }
`;

describe('credential expiry', () => {
  it('reads apiKeyExpiresAt and auth.expiresAt (dates and offsets) and names each credential without its secret', () => {
    const expiries = configuredExpiries(parseConfig(yaml, 'x.yaml', {}).sources);
    expect(expiries).toEqual([
      { source: 'acme-org', credential: 'organization API key (apiKey)', expiresAtMs: Date.parse('2026-06-01T00:00:00Z'), key: 'apiKeyExpiresAt' },
      { source: 'acme-jira', credential: 'scoped API token of bot@acme.example', expiresAtMs: Date.parse('2026-05-25T10:00:00Z'), key: 'auth.expiresAt' },
      { source: 'jira-dc', credential: 'personal access token (auth.token)', expiresAtMs: Date.parse('2026-07-01T00:00:00Z'), key: 'auth.expiresAt' },
    ]);
    expect(JSON.stringify(expiries)).not.toMatch(/secret/);
  });

  it('counts whole days left and says expired once past', () => {
    const e = { source: 's', credential: 'c', expiresAtMs: T0 + 12 * DAY + HOUR, key: 'k' };
    expect(daysLeft(e, T0)).toBe(12);
    expect(expiryState(e, T0, 30 * DAY)).toBe('expiring');
    expect(expiryState(e, T0, 10 * DAY)).toBe('ok');
    expect(expiryState(e, T0 + 13 * DAY, 30 * DAY)).toBe('expired');
    expect(describeExpiry(e, T0)).toBe('c expires 2026-05-31T13:00:00.000Z: 12 days left');
    expect(describeExpiry(e, T0 + 12 * DAY)).toBe('c expires 2026-05-31T13:00:00.000Z: less than a day left');
    expect(describeExpiry(e, T0 + 14 * DAY)).toBe('c expired 2026-05-31T13:00:00.000Z (1 day ago)');
  });

  it('warns at start and then once a day while inside the warning period, never before it', () => {
    let now = T0;
    const logger = new MemoryLogger();
    const e = { source: 'acme-org', credential: 'organization API key (apiKey)', expiresAtMs: T0 + 32 * DAY, key: 'apiKeyExpiresAt' };
    const watch = new CredentialExpiryWatch([e], 30 * DAY, logger, { now: () => now });
    const warnings = () => logger.lines.filter((l) => l.fields.event === 'credential.expiring');
    watch.tick();
    expect(warnings()).toHaveLength(0);
    expect(watch.notes()).toEqual([]);
    now += 2 * DAY + HOUR; // inside the period
    for (let h = 0; h < 24; h++, now += HOUR) watch.tick();
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ level: 'warn', fields: { source: 'acme-org', daysLeft: 29 } });
    for (let h = 0; h < 48; h++, now += HOUR) watch.tick();
    expect(warnings()).toHaveLength(3);
    expect(watch.notes()).toEqual([expect.stringMatching(/^acme-org: organization API key \(apiKey\) expires 2026-06-20T12:00:00\.000Z: 26 days left$/)]);
    now = e.expiresAtMs + HOUR;
    watch.tick();
    expect(warnings().at(-1)!.msg).toMatch(/^credential has expired: organization API key \(apiKey\) expired .* \(today\); rotate it/);
  });
});
