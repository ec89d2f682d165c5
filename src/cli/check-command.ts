import { closeHttpAgent } from '../http/http-client.js';
import { EXIT, loadConfigOrExit, loggerFor, type GlobalOptions } from './context.js';
import { buildReceiver } from './wiring.js';
import { DEFAULT_CREDENTIAL_EXPIRY_WARNING_MS } from '../config/schema.js';
import { formatDuration } from '../config/duration.js';
import { configuredExpiries, describeExpiry, expiryState } from '../telemetry/credential-expiry.js';
import { printable } from '../util/printable.js';

export interface CheckOptions extends GlobalOptions {
  readonly config: string;
  readonly shard?: string;
}

/** Validates the config, then makes one cheap authenticated request per source and one to the collector. */
export async function checkCommand(opts: CheckOptions): Promise<number> {
  const config = loadConfigOrExit(opts.config, opts.shard);
  const logger = loggerFor(opts);
  const receiver = await buildReceiver(config, logger);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`config ${config.file}: ok (${config.sources.length} source${config.sources.length === 1 ? '' : 's'}, state in ${config.stateDirectory})`);
  const signal = AbortSignal.timeout(60_000);
  try {
    const [exporter, ...sources] = await Promise.all([
      receiver.sink.check(signal),
      ...receiver.sources.map(async (s) => ({ name: s.name, type: s.type, ...(await s.check(signal)) })),
    ]);
    const now = Date.now();
    const warnBeforeMs = config.credentialExpiryWarningMs ?? DEFAULT_CREDENTIAL_EXPIRY_WARNING_MS;
    const expiries = configuredExpiries(config.sources);
    let expired = false;
    for (const s of sources) {
      // Details can quote the API or the collector: one printable line each.
      out(`source ${s.name} (${s.type}): ${s.ok ? 'ok' : 'FAILED'}: ${printable(s.detail, 1_000)}`);
      for (const e of expiries.filter((x) => x.source === s.name)) {
        const state = expiryState(e, now, warnBeforeMs);
        expired ||= state === 'expired';
        const verdict = state === 'expired' ? 'FAILED' : state === 'expiring' ? `WARNING (within credentialExpiryWarning ${formatDuration(warnBeforeMs)})` : 'ok';
        out(`source ${s.name}: credential ${verdict}: ${describeExpiry(e, now)} (${e.key})`);
      }
    }
    out(`exporter ${receiver.sink.description}: ${exporter!.ok ? 'ok' : 'FAILED'}: ${printable(exporter!.detail, 1_000)}`);
    return exporter!.ok && !expired && sources.every((s) => s.ok) ? EXIT.OK : EXIT.FAILED;
  } finally {
    await closeHttpAgent();
  }
}
