/**
 * Identity for audit records that carry no id (Confluence Cloud, every Data Center record):
 * a hash of the fields that say what happened, plus a copy number for genuine duplicates.
 * Each source chooses its identity fields (cosmetic ones such as display names stay out, so
 * a renamed user does not turn old records into "new" ones); the hashing and the copy
 * numbering are shared so every id-less source dedupes the same way.
 */
import { contentHash } from './record-helpers.js';

/** 128 bits of the canonical hash: plenty to tell audit records apart, and uids stay short. */
export function recordFingerprint(identity: Readonly<Record<string, unknown>>): string {
  return contentHash(identity).slice(0, 32);
}

/** First non-empty string, for identity fields that have several possible sources. */
export function firstText(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

export interface NumberedCopy<T> {
  readonly fingerprint: string;
  /** Which copy of identical records this is, in input order (0 for the first). */
  readonly occurrence: number;
  readonly item: T;
}

/**
 * Numbers identical records so that two genuinely identical events are both delivered:
 * key = fingerprint + '#' + copy number. `seed` continues a count begun earlier (for a
 * reader that resumes mid-millisecond); it is updated in place.
 */
export function numberCopies<T>(items: readonly T[], fingerprintOf: (item: T) => string, seed: Map<string, number> = new Map()): NumberedCopy<T>[] {
  return items.map((item) => {
    const fingerprint = fingerprintOf(item);
    const occurrence = seed.get(fingerprint) ?? 0;
    seed.set(fingerprint, occurrence + 1);
    return { fingerprint, occurrence, item };
  });
}

/** `<fingerprint>#<copy>`: the dedup key and the tail of the uid. */
export function copyKey(fingerprint: string, occurrence: number): string {
  return `${fingerprint}#${occurrence}`;
}

/** Inverse of copyKey. */
export function parseCopyKey(key: string): { fingerprint: string; occurrence: number } {
  const hash = key.lastIndexOf('#');
  return { fingerprint: key.slice(0, hash), occurrence: Number(key.slice(hash + 1)) };
}
