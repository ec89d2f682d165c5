// The baseline: the org-events receiver anyone would write in an afternoon on the stock
// OpenTelemetry SDK. A LoggerProvider with a BatchLogRecordProcessor and the official
// OTLP/HTTP protobuf exporter, one `forceFlush` per page, no checkpoints, no retries of its
// own, no validation. It reads the same YAML config as the receiver (first source, exporter
// endpoint and compression) so the bench drives both the same way, and is never shipped.
//
// usage: node naive-receiver.js once --config FILE
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';

const config = parse(readFileSync(process.argv[process.argv.indexOf('--config') + 1], 'utf8'));
const source = config.sources[0];
const exporter = new OTLPLogExporter({
  url: `${config.exporter.endpoint}/v1/logs`,
  ...(config.exporter.compression === 'gzip' ? { compression: 'gzip' } : {}),
});
const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': 'naive-audit-receiver' }),
  processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 512, maxQueueSize: 2048 })],
});
const logger = provider.getLogger('naive-audit-receiver');

const now = Date.now();
const base = `${source.baseUrl}/admin/v1/orgs/${encodeURIComponent(source.orgId)}/events-stream`;
let url = `${base}?limit=${source.pageSize}&from=${now - 24 * 3_600_000}&to=${now}&sortOrder=asc`;
const names = (objs) => (objs ?? []).map((o) => o.attributes?.name ?? o.attributes?.siteName ?? o.attributes?.displayName ?? '');

for (;;) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${source.apiKey}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`API answered ${res.status}`);
  const page = await res.json();
  for (const e of page.data) {
    const a = e.attributes ?? {};
    logger.emit({
      timestamp: new Date(a.time),
      severityText: 'INFO',
      severityNumber: 9,
      eventName: 'atlassian.org.audit_event',
      body: e,
      attributes: {
        'log.record.uid': `${source.orgId}:${e.id}`,
        'atlassian.org.id': source.orgId,
        'atlassian.event.id': e.id,
        'atlassian.audit.action': a.action,
        'atlassian.actor.id': a.actor?.id,
        'user.full_name': a.actor?.name,
        'user.email': a.actor?.email,
        'client.address': a.location?.ip,
        'atlassian.audit.container.ids': (a.container ?? []).map((o) => o.id),
        'atlassian.audit.container.names': names(a.container),
        'atlassian.audit.context.ids': (a.context ?? []).map((o) => o.id),
      },
    });
  }
  await provider.forceFlush();
  const next = page.meta?.next;
  if (page.data.length === 0 || !next) break;
  url = `${base}?limit=${source.pageSize}&cursor=${encodeURIComponent(next)}`;
}
await provider.shutdown();
process.stdout.write('naive receiver: caught up\n');
