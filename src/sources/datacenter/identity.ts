/**
 * Time and identity of a Data Center audit event, read from either shape without trusting it
 * (these run on records the schema rejected too).
 */
import { own } from '../record-helpers.js';
import { firstText, recordFingerprint } from '../record-fingerprint.js';

/** Epoch ms: ISO string (REST) or {epochSecond, nano} (file); undefined when unreadable. */
export function dcEventTimeMs(raw: unknown): number | undefined {
  const t = own(raw, 'timestamp');
  if (typeof t === 'string') {
    const ms = Date.parse(t);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const seconds = own(t, 'epochSecond');
  const nano = own(t, 'nano') ?? 0;
  if (typeof seconds !== 'number' || typeof nano !== 'number' || !Number.isFinite(seconds) || !Number.isFinite(nano)) return undefined;
  const ms = seconds * 1000 + Math.floor(nano / 1_000_000);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** `type` (REST) or `auditType` (file): the same object in both shapes. */
export function dcAuditType(raw: unknown): unknown {
  return own(raw, 'type') ?? own(raw, 'auditType');
}

/**
 * Data Center events have no id. Identity: time (to the millisecond, the precision both shapes
 * share), node, action i18n key, author id, affected objects, changed values, source address
 * and extra attributes. Localised texts and the author's display name stay out, so a language
 * or name change does not turn old events into new ones.
 */
export function dcFingerprint(raw: unknown): string {
  const type = dcAuditType(raw);
  const ms = dcEventTimeMs(raw);
  return recordFingerprint({
    t: ms ?? own(raw, 'timestamp') ?? null,
    node: own(raw, 'node') ?? null,
    action: firstText(own(type, 'actionI18nKey'), own(type, 'action')) ?? null,
    author: own(own(raw, 'author'), 'id') ?? null,
    affected: own(raw, 'affectedObjects') ?? null,
    changed: own(raw, 'changedValues') ?? null,
    source: own(raw, 'source') ?? null,
    extra: own(raw, 'extraAttributes') ?? null,
  });
}
