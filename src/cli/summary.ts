import type { SourceOutcome } from '../pipeline/runner.js';
import { printable } from '../util/printable.js';

/** One line per source for `once`: what a person scanning a cron log needs. */
export function formatOutcome(o: SourceOutcome): string {
  // Errors can quote a peer (an API error code, a collector's message): one line, no escapes.
  if (!o.ok) return `${o.source}: FAILED ${printable(o.code, 64)}: ${printable(o.error, 1_000)}`;
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
