import { createAuthProvider } from '../../auth/auth-provider.js';
import type { AuthConfig } from '../../auth/config.js';
import type { AuthProvider } from '../../auth/credential.js';
import { ReceiverError } from '../../errors/receiver-error.js';
import { systemClock, type Clock } from '../../http/rate-limiter.js';
import type { CheckResult, CheckpointState, PollContext, Source, SourcePage } from '../../pipeline/source.js';
import type { WindowedSourceDeps } from './deps.js';
import type { ProductRequestSettings } from './product-get.js';
import { siteHost } from '../record-helpers.js';
import { decodeWindowCheckpoint } from './window-checkpoint.js';
import { walkWindows, type WindowedApi } from './window-walker.js';

/** The config keys every windowed source has (windowed-config.ts). */
export interface WindowedSourceConfig extends ProductRequestSettings {
  readonly site: string;
  readonly auth: AuthConfig;
  readonly pollInterval: number;
  readonly initialLookback: number;
  readonly pageSize: number;
  readonly settleDelay: number;
  readonly overlap: number;
}

/** What differs between the product audit logs: the API, its identity rule, its mapping. */
export interface ProductSpec<Client> {
  readonly type: 'jira-audit' | 'confluence-audit';
  readonly product: 'jira' | 'confluence';
  /** Shown in 401 hints. */
  readonly scopes: string;
  readonly path: string;
  createClient(auth: AuthProvider): Client;
  api(client: Client, ctx: { site: string; siteHost: string; sourceName: string }): WindowedApi;
  /** One cheap request for `check`; resolves with how many records it saw. */
  probe(client: Client, fromMs: number, toMs: number, signal: AbortSignal): Promise<number>;
}

/**
 * A product audit log walked in closed windows (window-walker.ts): the Source the pipeline
 * sees for Jira and Confluence. Each product supplies its client, collection and mapping.
 */
export class WindowedAuditSource<Client> implements Source {
  readonly type: ProductSpec<Client>['type'];
  readonly name: string;
  readonly pollIntervalMs: number;
  private readonly client: Client;
  private readonly api: WindowedApi;
  private readonly clock: Clock;

  constructor(
    private readonly config: WindowedSourceConfig,
    private readonly deps: WindowedSourceDeps,
    private readonly spec: ProductSpec<Client>,
  ) {
    this.type = spec.type;
    this.name = config.name;
    this.pollIntervalMs = config.pollInterval;
    this.clock = deps.clock ?? systemClock;
    const http = { timeoutMs: config.requestTimeout, retryDeadlineMs: config.retryDeadline };
    const auth = createAuthProvider(config.auth, deps.credentials.get(config.auth, http), {
      product: spec.product,
      site: config.site,
      scopes: spec.scopes,
      logger: deps.logger,
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...http,
    });
    this.client = spec.createClient(auth);
    this.api = spec.api(this.client, { site: config.site, siteHost: siteHost(config.site), sourceName: config.name });
  }

  async *pages(checkpoint: CheckpointState | undefined, ctx: PollContext): AsyncIterable<SourcePage> {
    const stored = decodeWindowCheckpoint(checkpoint, this.type, this.name, this.deps.checkpointFile);
    yield* walkWindows(stored, this.api, {
      api: this.type,
      pageSize: this.config.pageSize,
      settleMs: this.config.settleDelay,
      overlapMs: this.config.overlap,
      initialLookbackMs: this.config.initialLookback,
      clock: this.clock,
    }, ctx);
  }

  async check(signal: AbortSignal): Promise<CheckResult> {
    const now = this.clock.now();
    try {
      const seen = await this.spec.probe(this.client, now - 3_600_000, now, signal);
      return { ok: true, detail: `authenticated; GET ${this.spec.path} answered 200 (${seen === 0 ? 'no records' : 'records'} in the last hour)` };
    } catch (err) {
      return { ok: false, detail: err instanceof ReceiverError ? err.describe() : String(err) };
    }
  }
}
