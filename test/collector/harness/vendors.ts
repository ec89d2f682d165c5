// Every vendor stand-in at once, and the environment a user would set for each destination,
// pointing at them.
import { startElasticsearch, type ElasticsearchStandIn } from '../stand-ins/elasticsearch.js';
import { startEntraAuthority, type EntraAuthority } from '../stand-ins/entra-authority.js';
import { startOtlpIntake, type OtlpIntake } from '../stand-ins/otlp-intake.js';
import type { UidTally } from '../stand-ins/intake-server.js';
import type { Destination } from './otelcol.js';

export const SECRETS = {
  esApiKey: 'ZXMtYXBpLWtleS1pZDplcy1hcGkta2V5LXNlY3JldA==',
  sumoToken: 'ZaVnC4dhaV2ySpnwuo8UVSjRr8Fx2c6ZmwaWl2Oa1YaL',
  azureClientSecret: 'azure-client-secret-~7Q8',
  ddApiKey: 'f2a8c1d4e5b6a7980123456789abcdef',
} as const;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0d9c4a3f-5c1e-4b8e-9a3a-2f1e6c7d8b90';
const DCR = 'dcr-00112233445566778899aabbccddeeff';
export const AZURE_LOGS_PATH = `/dataCollectionRules/${DCR}/streams/Microsoft-OTLP-Logs/otlp/v1/logs`;
const SUMO_BASE = `/receiver/v1/otlp/${SECRETS.sumoToken}`;

export interface Vendors {
  readonly datadog: OtlpIntake;
  readonly elasticsearch: ElasticsearchStandIn;
  readonly sumologic: OtlpIntake;
  readonly entra: EntraAuthority;
  readonly azureMonitor: OtlpIntake;
  envFor(destinations: readonly Destination[]): Record<string, string>;
  close(): Promise<void>;
}

export async function startVendors(): Promise<Vendors> {
  // Datadog's OTLP logs intake: https://otlp.<site>/v1/logs with the key in `dd-api-key`.
  const datadog = await startOtlpIntake('datadog', { logsPath: '/v1/logs', apiKeyHeader: { name: 'dd-api-key', value: SECRETS.ddApiKey } });
  const elasticsearch = await startElasticsearch(SECRETS.esApiKey);
  const sumologic = await startOtlpIntake('sumologic', { logsPath: `${SUMO_BASE}/v1/logs`, metricsPath: `${SUMO_BASE}/v1/metrics` });
  const entra = await startEntraAuthority({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRETS.azureClientSecret, scope: 'https://monitor.azure.com/.default' });
  const azureMonitor = await startOtlpIntake('azure-monitor', { logsPath: AZURE_LOGS_PATH, acceptsToken: (t) => entra.issued.has(t) });
  const perDestination: Record<Destination, Record<string, string>> = {
    'datadog-otlp': { DD_API_KEY: SECRETS.ddApiKey, DD_OTLP_LOGS_ENDPOINT: `${datadog.url}/v1/logs` },
    'elastic-otel': { ELASTICSEARCH_ENDPOINT: elasticsearch.url, ELASTICSEARCH_API_KEY: SECRETS.esApiKey },
    'elastic-ecs': { ELASTICSEARCH_ENDPOINT: elasticsearch.url, ELASTICSEARCH_API_KEY: SECRETS.esApiKey },
    sumologic: { SUMO_OTLP_ENDPOINT: `${sumologic.url}${SUMO_BASE}` },
    sentinel: {
      AZURE_MONITOR_OTLP_LOGS_ENDPOINT: `${azureMonitor.url}${AZURE_LOGS_PATH}`,
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
      AZURE_CLIENT_SECRET: SECRETS.azureClientSecret,
      AZURE_AUTHORITY_HOST: entra.url,
    },
  };
  return {
    datadog, elasticsearch, sumologic, entra, azureMonitor,
    envFor: (destinations) => Object.assign({}, ...destinations.map((d) => perDestination[d])) as Record<string, string>,
    close: async () => {
      for (const s of [datadog, elasticsearch, sumologic, entra, azureMonitor]) await s.close();
    },
  };
}

/** Errors any stand-in found in what the collector sent. */
export function standInErrors(v: Vendors): string[] {
  return [v.datadog, v.elasticsearch, v.sumologic, v.entra, v.azureMonitor].flatMap((s) => s.errors);
}

/** Where a destination's records land: the uids its stand-in has received so far. */
export function tallyOf(v: Vendors, d: Destination): UidTally {
  switch (d) {
    case 'datadog-otlp': return v.datadog.uids;
    case 'elastic-otel': return v.elasticsearch.uidsIn('logs-atlassian.audit.otel-default');
    case 'elastic-ecs': return v.elasticsearch.uidsIn('logs-atlassian.audit-default');
    case 'sumologic': return v.sumologic.uids;
    case 'sentinel': return v.azureMonitor.uids;
  }
}
