/**
 * Small pure helpers every source's mapping uses: safe reads of untrusted JSON, canonical
 * hashing, and the attribute conventions (no undefined, no nulls, no empty strings).
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, Attributes } from '../pipeline/audit-log-record.js';

const SCHEMA_ERROR_MAX_CHARS = 300;

export type Maybe<T> = T | null | undefined;

/** Atlassian sends "" for "none" (eventSource, remoteAddress, description); that is not a value. */
export function putText(attrs: Attributes, key: string, value: unknown): void {
  if (isText(value)) attrs[key] = value;
}

/** A string that says something: not empty (see putText). */
export function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Own property of a plain object, or undefined; never throws (proxies, getters). */
export function own(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  try {
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Key-sorted JSON, so a hash is stable however the API orders keys. Throws on cycles. */
export function canonicalJson(raw: unknown): string {
  const text = JSON.stringify(raw, (_key, value: unknown) => {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const rec = value as Record<string, unknown>;
    // fromEntries defines own keys, so a parsed "__proto__" key is hashed, not swallowed.
    return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, rec[k]]));
  }) as string | undefined;
  return text ?? 'null';
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A string id fit to key a uid: non-empty and valid UTF-16. UTF-8 turns every lone surrogate
 * into U+FFFD on the wire, so two broken ids would reach the SIEM as one uid; those records
 * are keyed by their content hash instead.
 */
export function usableId(id: unknown): id is string {
  return typeof id === 'string' && id !== '' && !LONE_SURROGATE.test(id);
}

/** Hex sha256 of the canonical JSON; a constant for values JSON cannot hold. */
export function contentHash(raw: unknown): string {
  let text: string;
  try {
    text = canonicalJson(raw);
  } catch {
    text = 'unserializable';
  }
  return createHash('sha256').update(text).digest('hex');
}

export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const text = issues
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  return truncate(text);
}

export function truncate(text: string): string {
  return text.length > SCHEMA_ERROR_MAX_CHARS ? `${text.slice(0, SCHEMA_ERROR_MAX_CHARS - 1)}…` : text;
}

/** Non-empty array of plain values as an attribute; arrays of nothing are left out. */
export function nonEmptyArray(value: unknown): AttributeValue | undefined {
  return Array.isArray(value) && value.length > 0 ? (value as AttributeValue) : undefined;
}

/** The site's host (acme.atlassian.net): the namespace of a record's uid. */
export function siteHost(site: string): string {
  try {
    return new URL(site).host;
  } catch {
    return site;
  }
}
