import { closeHttpAgent } from '../http/http-client.js';
import type { Logger } from '../log/logger.js';
import { receiverResource } from '../otlp/resource.js';
import { runForever } from '../pipeline/runner.js';
import { defaultTelemetryConfig, formatHostPort, listensBeyondLoopback, type TelemetryConfig } from '../telemetry/config.js';
import { HealthListenError, startHealthServer, type HealthServer } from '../telemetry/health-server.js';
import { SelfMetrics } from '../telemetry/self-metrics.js';
import { SourceStatusBoard } from '../telemetry/source-status.js';
import { configuredExpiries } from '../telemetry/credential-expiry.js';
import { CredentialExpiryWatch } from '../telemetry/credential-expiry-watch.js';
import type { Readiness } from '../telemetry/readiness.js';
import { DEFAULT_CREDENTIAL_EXPIRY_WARNING_MS } from '../config/schema.js';
import { CliExit, EXIT, loadConfigOrExit, lockStateOrExit, loggerFor, logShard, resetCheckpoints, type GlobalOptions } from './context.js';
import { startProgress } from './progress-reporter.js';
import { onShutdownSignals } from './signals.js';
import { buildReceiver, cycleDeps } from './wiring.js';

export interface RunOptions extends GlobalOptions {
  readonly config: string;
  readonly resetCheckpoint: readonly string[];
  readonly shard?: string;
  /** Backfill progress every this many ms (default 10 s). */
  readonly progressInterval?: number;
}

/** The last metrics export at shutdown may take this long at most. */
const METRICS_SHUTDOWN_MS = 5_000;

export async function runCommand(opts: RunOptions): Promise<number> {
  const config = loadConfigOrExit(opts.config, opts.shard);
  const logger = loggerFor(opts);
  logShard(config, logger);
  const telemetry = config.telemetry ?? defaultTelemetryConfig();
  const board = new SourceStatusBoard(config.sources.map((s) => ({ name: s.name, pollIntervalMs: s.pollInterval })));
  const expiry = new CredentialExpiryWatch(configuredExpiries(config.sources), config.credentialExpiryWarningMs ?? DEFAULT_CREDENTIAL_EXPIRY_WARNING_MS, logger);
  let metrics: SelfMetrics | undefined;
  const lock = await lockStateOrExit(config.stateDirectory, logger, config.shard);
  // A taken port is a configuration problem, reported before anything else starts.
  const health = await listenForHealth(telemetry, () => withCredentialNotes(board.readiness(), expiry.notes()), () => metrics, logger).catch(async (err: unknown) => {
    await lock.release();
    throw err;
  });
  const shutdown = onShutdownSignals(logger);
  try {
    const resource = receiverResource(config.service);
    metrics = new SelfMetrics({ metrics: telemetry.metrics, exporter: config.exporter, resource, board, logger, credentials: expiry.expiries });
    const receiver = await buildReceiver(config, logger, { recorder: metrics, resource });
    await resetCheckpoints(opts.resetCheckpoint, config, receiver.store, logger);
    const { progress, stop: stopProgress } = startProgress({ logger, logLevel: opts.logLevel, ...(opts.progressInterval !== undefined ? { everyMs: opts.progressInterval } : {}) });
    expiry.start();
    const selfMetrics = metrics;
    logger.info('receiver started', {
      event: 'receiver.started',
      sources: receiver.sources.map((s) => ({ name: s.name, type: s.type, pollIntervalMs: s.pollIntervalMs })),
      exporter: receiver.sink.description,
      stateDirectory: config.stateDirectory,
      health: health ? `http://${health.address}` : 'off',
      metrics: { otlp: selfMetrics.otlpUrl ? new URL(selfMetrics.otlpUrl).pathname : 'off', prometheus: telemetry.metrics.prometheus, intervalMs: telemetry.metrics.interval },
    });
    try {
      await runForever(
        receiver.sources,
        {
          ...cycleDeps(receiver, logger, shutdown, Number.POSITIVE_INFINITY, config.pipeline),
          recorder: selfMetrics,
          onCommit: (source, records) => {
            board.committed(source, records);
            selfMetrics.recordsEmitted(source, records.length);
            progress.committed(source, records);
          },
        },
        (outcome) => {
          board.cycleFinished(outcome);
          selfMetrics.pollFinished(outcome);
          progress.cycleFinished(outcome.source);
        },
      );
      logger.info('receiver stopped', { event: 'receiver.stopped' });
      return EXIT.OK;
    } finally {
      stopProgress();
      await receiver.sink.shutdown();
    }
  } finally {
    expiry.stop();
    shutdown.dispose();
    await metrics?.shutdown(Math.min(config.exporter.timeoutMs, METRICS_SHUTDOWN_MS));
    await health?.close();
    await closeHttpAgent();
    await lock.release();
  }
}

async function listenForHealth(telemetry: TelemetryConfig, readiness: () => Readiness, metrics: () => SelfMetrics | undefined, logger: Logger): Promise<HealthServer | undefined> {
  const h = telemetry.health;
  if (!h.enabled) return undefined;
  try {
    const server = await startHealthServer(h.endpoint, {
      readiness,
      ...(telemetry.metrics.prometheus
        ? {
            metrics: (req, res) => {
              const handler = metrics()?.prometheusHandler;
              if (handler) return handler(req, res);
              res.writeHead(503, { 'content-type': 'text/plain' }).end('# starting\n');
            },
          }
        : {}),
    });
    logger.info('health endpoint listening', { event: 'health.listening', address: server.address, paths: telemetry.metrics.prometheus ? ['/healthz', '/readyz', '/metrics'] : ['/healthz', '/readyz'] });
    if (listensBeyondLoopback(h.endpoint)) {
      logger.warn('health endpoint is reachable from other hosts (source names and error reasons on /readyz, metrics on /metrics; no secrets)', { event: 'health.non_loopback', address: server.address });
    }
    return server;
  } catch (err) {
    if (err instanceof HealthListenError) throw new CliExit(`telemetry.health.endpoint ${err.message}`, EXIT.USAGE);
    throw new CliExit(`telemetry.health.endpoint ${formatHostPort(h.endpoint)}: ${err instanceof Error ? err.message : String(err)}`, EXIT.USAGE);
  }
}

/** /readyz stays as the sources make it, and names credentials about to expire. */
function withCredentialNotes(readiness: Readiness, notes: readonly string[]): Readiness {
  return notes.length === 0 ? readiness : { ...readiness, credentials: notes };
}
