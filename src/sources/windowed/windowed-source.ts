import { createAuthProvider } from '../../auth/auth-provider.js';
import type { AuthConfig } from '../../auth/config.js';
import type { AuthProvider } from '../../auth/credential.js';
import { ReceiverError } from '../../errors/receiver-error.js';
import { systemClock, type Clock } from '../../http/rate-limiter.js';
import type { CheckResult, CheckpointState, PollContext, Source, SourcePage } from '../../pipeline/source.js';
import type { WindowedSourceDeps } from './deps.js';
import type { ProductRequestSettings } from './product-get.js';
import { siteHost } from '../record-helpers.js';
import { walkOptionsFor } from './walk-options.js';
import { decodeWindowCheckpoint } from './window-checkpoint.js';
import { walkRange, walkWindows, type WalkOptions, type WindowedApi } from './window-walker.js';
import type { Replayable, ReplayWindow, RetentionLimit } from '../../pipeline/replay.js';

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
  /** How far back the API answers, when it says (Confluence); absent: it does not say. */
  retention?(client: Client, signal: AbortSignal): Promise<RetentionLimit>;
  /** One cheap request for `check`; resolves with how many records it saw. */
  probe(client: Client, fromMs: number, toMs: number, signal: AbortSignal): Promise<number>;
}

/**
 * A product audit log walked in closed windows (window-walker.ts): the Source the pipeline
 * sees for Jira and Confluence. Each product supplies its client, collection and mapping.
 */
export class WindowedAuditSource<Client> implements Source, Replayable {
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
    const auth = createAuthProvider(config.auth, deps.credentials.get(config.auth, http, deps.secrets ?? {}), {
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
    yield* walkWindows(stored, this.api, this.walkOptions(), ctx);
  }

  /** `replay`: exactly the window again (the API filters on creation time), live checkpoint untouched. */
  replay(window: ReplayWindow, ctx: PollContext): AsyncIterable<SourcePage> {
    return walkRange(window.fromMs, window.toMs, this.api, this.walkOptions(), ctx);
  }

  async retention(signal: AbortSignal): Promise<RetentionLimit> {
    if (this.spec.retention) return this.spec.retention(this.client, signal);
    return {
      maxAgeMs: undefined,
      statement: `the ${this.spec.product} audit API publishes no retention period (none in its OpenAPI spec); it returns what the site still keeps`,
    };
  }

  private walkOptions(): WalkOptions {
    return walkOptionsFor(this.config, this.type, this.spec.path, this.clock);
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
