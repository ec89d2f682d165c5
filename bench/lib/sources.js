// What the benchmark knows per source type: how to register a backlog with the fake API,
// the receiver config block that reads it, and how the collector recognises its uids.
// A source type is benchmarked only if the built receiver accepts its config; adding one
// is an entry here plus its pages in fake-api.js.

export const SOURCES = {
  org: {
    kind: 'org',
    label: 'org events',
    pageSize: 500,
    async register(api, { key, total, baseMs, stepMs }) {
      const orgId = `bench-org-${key}`;
      await api.call('addOrg', { orgId, apiKey: `key-${key}`, total, baseMs, stepMs });
      return { statsKey: orgId, expect: { kind: 'org', prefix: `${orgId}:`, total } };
    },
    yaml({ apiUrl, key, requestsPerMinute = 0 }) {
      return `  - name: bench-org-${key}
    type: org-events
    orgId: bench-org-${key}
    apiKey: key-${key}
    baseUrl: ${apiUrl}
    pageSize: 500
    initialLookback: 24h
    requestsPerMinute: ${requestsPerMinute}
`;
    },
  },
  jira: {
    kind: 'jira',
    label: 'Jira audit records',
    pageSize: 1000,
    async register(api, { key, total, baseMs, stepMs }) {
      const email = `bench-${key}@example.com`;
      await api.call('addJira', { email, apiToken: `token-${key}`, total, baseMs, stepMs });
      return { statsKey: email, expect: { kind: 'jira', total } };
    },
    yaml({ apiUrl, key, requestsPerMinute = 0 }) {
      return `  - name: bench-jira-${key}
    type: jira-audit
    site: ${apiUrl}
    auth:
      type: basic
      email: bench-${key}@example.com
      apiToken: token-${key}
    pageSize: 1000
    initialLookback: 24h
    requestsPerMinute: ${requestsPerMinute}
`;
    },
  },
};

export function receiverYaml({ collectorUrl, protocol, compression, maxRetryTime = '10m', sourceBlocks, extra = '', bodyFormat }) {
  return `${extra}state:
  directory: ./state
exporter:
  endpoint: ${collectorUrl}
  protocol: ${protocol === 'json' ? 'http/json' : 'http/protobuf'}
  compression: ${compression}
  timeout: 30s
  maxRetryTime: ${maxRetryTime}
${bodyFormat ? `  bodyFormat: ${bodyFormat}\n` : ''}sources:
${sourceBlocks.join('')}`;
}
