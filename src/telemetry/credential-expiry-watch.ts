import type { Logger } from '../log/logger.js';
import { describeExpiry, expiryState, type CredentialExpiry } from './credential-expiry.js';

const DAY_MS = 86_400_000;
const CHECK_EVERY_MS = 3_600_000;

/**
 * For `run`: from `warnBeforeMs` before a credential expires, logs a warning at start and then
 * once a day (checked hourly), and gives /readyz the same sentences. Readiness is not affected:
 * the credential still works, and a NotReady collector would hide why.
 */
export class CredentialExpiryWatch {
  private readonly lastWarnedMs = new Map<CredentialExpiry, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly expiries: readonly CredentialExpiry[],
    private readonly warnBeforeMs: number,
    private readonly logger: Logger,
    private readonly clock: { now(): number } = Date,
  ) {}

  start(): void {
    if (this.expiries.length === 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Logs each expiring or expired credential not warned about in the last day. */
  tick(): void {
    const now = this.clock.now();
    for (const e of this.expiries) {
      const state = expiryState(e, now, this.warnBeforeMs);
      if (state === 'ok') continue;
      const last = this.lastWarnedMs.get(e);
      if (last !== undefined && now - last < DAY_MS) continue;
      this.lastWarnedMs.set(e, now);
      this.logger.warn(`credential ${state === 'expired' ? 'has expired' : 'expires soon'}: ${describeExpiry(e, now)}; rotate it (README: Rotating credentials)`, {
        event: 'credential.expiring',
        source: e.source,
        credential: e.credential,
        expiresAt: new Date(e.expiresAtMs).toISOString(),
        daysLeft: Math.floor((e.expiresAtMs - now) / DAY_MS),
      });
    }
  }

  /** For /readyz: one sentence per credential within the warning period. */
  notes(): string[] {
    const now = this.clock.now();
    return this.expiries.filter((e) => expiryState(e, now, this.warnBeforeMs) !== 'ok').map((e) => `${e.source}: ${describeExpiry(e, now)}`);
  }
}
