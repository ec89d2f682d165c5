import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ReceiverConfig } from '../config/config.js';
import { logsUrlFromBase } from '../config/endpoint.js';
import { urlProblem } from '../config/fields.js';
import { proxyFromEnvironment } from '../config/proxy.js';
import type { ConfigIssue } from '../errors/config-error.js';
import { DEMO_ORG_ID, simulatedOrgEvents } from '../demo/simulated-org.js';
import { startDemoApiServer } from '../demo/demo-api-server.js';
import { closeHttpAgent } from '../http/http-client.js';
import { ConsoleSink } from '../otlp/console-sink.js';
import { runOnce } from '../pipeline/runner.js';
import { CliExit, EXIT, lockStateOrExit, loggerFor, signalExitCode, type GlobalOptions } from './context.js';
import { formatOutcome } from './summary.js';
import { onShutdownSignals } from './signals.js';
import { buildReceiver, cycleDeps } from './wiring.js';

export interface DemoOptions extends GlobalOptions {
  readonly endpoint?: string;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly events: number;
}

/**
 * Runs the real receiver (client, paging, mapping, checkpoints) against a simulated
 * organization served on loopback, and prints the LogRecords, or sends them to `--endpoint`.
 */
export async function demoCommand(opts: DemoOptions): Promise<number> {
  const endpoint = logsUrlFromBase(opts.endpoint ?? 'http://localhost:4318', '--endpoint');
  if (opts.endpoint !== undefined) {
    const problem = urlProblem(opts.endpoint, 'anywhere') ?? ('problem' in endpoint ? endpoint.problem : undefined);
    if (problem) throw new CliExit(`--endpoint ${problem}`, EXIT.USAGE);
  }
  // The simulated API is on loopback (never proxied); a collector given with --endpoint may be behind the proxy.
  const proxyIssues: ConfigIssue[] = [];
  const proxy = proxyFromEnvironment(process.env, proxyIssues);
  if (proxyIssues.length > 0) throw new CliExit(proxyIssues.map((i) => `${i.path}: ${i.message}`).join('\n'), EXIT.USAGE);
  const logger = loggerFor(opts);
  const apiKey = randomBytes(16).toString('hex');
  const api = await startDemoApiServer(DEMO_ORG_ID, apiKey, simulatedOrgEvents(opts.events, Date.now() - 60_000));
  const stateDirectory = mkdtempSync(join(tmpdir(), 'atlassian-audit-receiver-demo-'));
  const config: ReceiverConfig = {
    file: '(demo)',
    stateDirectory,
    exporter: {
      ...('url' in endpoint ? { logsUrl: endpoint.url, logsUrlFrom: endpoint.from } : { logsUrl: 'http://localhost:4318/v1/logs' }),
      protocol: opts.protocol,
      compression: 'gzip',
      headers: {},
      timeoutMs: 10_000,
      maxRetryTimeMs: 30_000,
    },
    ...(proxy.httpsProxy || proxy.httpProxy ? { proxy } : {}),
    service: { name: 'atlassian-audit-receiver', resourceAttributes: { 'deployment.environment.name': 'demo' } },
    sources: [
      {
        name: 'demo-org',
        type: 'org-events',
        orgId: DEMO_ORG_ID,
        apiKey,
        baseUrl: api.url,
        pollInterval: 60_000,
        initialLookback: 86_400_000,
        pageSize: 5,
        requestsPerMinute: 0,
        retryDeadline: 10_000,
        requestTimeout: 10_000,
      },
    ],
  };
  const receiver = await buildReceiver(config, logger, opts.endpoint ? {} : { sink: new ConsoleSink() });
  const shutdown = onShutdownSignals(logger);
  const lock = await lockStateOrExit(stateDirectory, logger);
  try {
    process.stdout.write(`Simulated organization ${DEMO_ORG_ID}: ${opts.events} audit events served on ${api.url}; delivering to ${receiver.sink.description}\n\n`);
    const [outcome] = await runOnce(receiver.sources, cycleDeps(receiver, logger, shutdown, config.exporter.maxRetryTimeMs));
    process.stdout.write(`${formatOutcome(outcome!)}\n`);
    if (shutdown.received) return signalExitCode(shutdown.received);
    return outcome!.ok ? EXIT.OK : EXIT.FAILED;
  } finally {
    shutdown.dispose();
    await receiver.sink.shutdown();
    await api.close();
    await closeHttpAgent();
    await lock.release();
    rmSync(stateDirectory, { recursive: true, force: true });
  }
}
