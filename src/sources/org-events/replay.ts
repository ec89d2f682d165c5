import type { ReplayWindow, RetentionLimit } from '../../pipeline/replay.js';
import type { PollContext, SourcePage } from '../../pipeline/source.js';
import type { OrgEventsClient, OrgPageQuery } from './client.js';
import { mapOrgEvent } from './map.js';
import { pageEvent } from './page-event.js';

/** Atlassian keeps the organization audit log for 180 days; older events are not served. */
export const ORG_RETENTION: RetentionLimit = {
  maxAgeMs: 180 * 86_400_000,
  statement: 'the organization audit log keeps 180 days',
};

/**
 * `events-stream` is ordered by processing time and its `from`/`to` select on it (the walk and
 * its checkpoint rely on that), while a replay is asked for event times. An event is processed
 * at or after it happened, so the walk starts at the window's start and reads this much past its
 * end; each event is then kept only if its own time falls inside the window.
 */
export const ORG_REPLAY_PROCESSING_SLACK_MS = 3_600_000;

export interface OrgReplayContext {
  readonly client: OrgEventsClient;
  readonly orgId: string;
  readonly sourceName: string;
  readonly now: () => number;
}

/** Reads [window.fromMs, window.toMs] (event time) again; no checkpoint is read or produced. */
export async function* replayOrgWindow(window: ReplayWindow, o: OrgReplayContext, ctx: PollContext): AsyncGenerator<SourcePage> {
  let query: OrgPageQuery = { fromMs: window.fromMs, toMs: Math.min(o.now(), window.toMs + ORG_REPLAY_PROCESSING_SLACK_MS) };
  for (let page = 1; ; page++) {
    const body = await o.client.fetchPage(query, ctx.signal);
    const observedMs = o.now();
    const records = [];
    for (let i = 0; i < body.data.length; i++) {
      const raw = pageEvent(body.data, i, { sourceName: o.sourceName, path: o.client.path });
      const t = eventTimeMs(raw);
      // An event whose time cannot be read is delivered rather than silently dropped.
      if (t !== undefined && (t < window.fromMs || t > window.toMs)) continue;
      records.push(mapOrgEvent(raw, { orgId: o.orgId, sourceName: o.sourceName, observedMs }));
    }
    const next = body.meta?.next ?? undefined;
    const last = body.data.length === 0 || !next;
    yield { records, checkpoint: {}, note: `replay page ${page}${last ? ' (last)' : ''}` };
    if (last) return;
    query = { cursor: next };
  }
}

/** The event's own time, or when it was processed if that is all there is. */
function eventTimeMs(raw: unknown): number | undefined {
  const attrs = (raw as { attributes?: { time?: unknown; processedAt?: unknown } } | null)?.attributes;
  for (const value of [attrs?.time, attrs?.processedAt]) {
    if (typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}
