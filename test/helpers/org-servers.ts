import { afterEach, beforeEach } from 'vitest';
import { fixtureEvents, startOrgEventsServer, type OrgEventsServer } from './org-events-server.js';
import { startCollector, type TestCollector } from './otlp-collector.js';

/**
 * A fresh fake org API (serving the fixture events) and OTLP collector for every test of
 * the calling file, closed after each. Read them through the returned object.
 */
export function useOrgServers(orgId: string, apiKey: string): { readonly api: OrgEventsServer; readonly collector: TestCollector } {
  let api: OrgEventsServer | undefined;
  let collector: TestCollector | undefined;
  beforeEach(async () => {
    api = await startOrgEventsServer({ orgId, apiKey, events: fixtureEvents() });
    collector = await startCollector();
  });
  afterEach(async () => {
    await api?.close();
    await collector?.close();
  });
  return {
    get api() {
      if (!api) throw new Error('useOrgServers: the servers exist only inside a test');
      return api;
    },
    get collector() {
      if (!collector) throw new Error('useOrgServers: the servers exist only inside a test');
      return collector;
    },
  };
}
