import { own } from '../record-helpers.js';
import { firstText, recordFingerprint } from '../record-fingerprint.js';

/**
 * Confluence audit records have no id. Their identity is their content: when, who, from
 * where, what, and what changed. Cosmetic author fields (display name, public name, avatar
 * links) are left out so a renamed user does not turn old records into "new" ones.
 * Two records with the same fingerprint are indistinguishable copies; the source numbers
 * them (`#0`, `#1`, …) within their millisecond so each copy is still delivered once.
 */
export function confluenceFingerprint(raw: unknown): string {
  const author = own(raw, 'author');
  const identity = {
    creationDate: own(raw, 'creationDate') ?? null,
    author: firstText(own(author, 'accountId'), own(author, 'userKey'), own(author, 'username'), own(author, 'displayName')) ?? null,
    remoteAddress: own(raw, 'remoteAddress') ?? null,
    summary: own(raw, 'summary') ?? null,
    category: own(raw, 'category') ?? null,
    affectedObject: own(raw, 'affectedObject') ?? null,
    associatedObjects: own(raw, 'associatedObjects') ?? null,
    changedValues: own(raw, 'changedValues') ?? null,
  };
  return recordFingerprint(identity);
}

/** `creationDate` in epoch ms (a number; a numeric string is tolerated). */
export function confluenceCreatedMs(raw: unknown): number | undefined {
  const value = own(raw, 'creationDate');
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(ms) ? ms : undefined;
}
