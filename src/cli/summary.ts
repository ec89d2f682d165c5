import type { SourceOutcome } from '../pipeline/runner.js';

/** One line per source for `once`: what a person scanning a cron log needs. */
export function formatOutcome(o: SourceOutcome): string {
  if (!o.ok) return `${o.source}: FAILED ${o.code}: ${o.error}`;
  const s = o.summary;
  const last = s.lastEventTimeMs === undefined ? 'none' : new Date(s.lastEventTimeMs).toISOString();
  const parts = [
    `delivered=${s.delivered}`,
    `fetched=${s.fetched}`,
    `pages=${s.pages}`,
    `duplicates_dropped=${s.duplicatesDropped}`,
    `rejected_by_collector=${s.rejectedByCollector}`,
    `last_event=${last}`,
  ];
  return `${o.source}: ${s.interrupted ? 'INTERRUPTED' : 'ok'} ${parts.join(' ')}`;
}
