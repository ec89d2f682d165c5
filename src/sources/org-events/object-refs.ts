/**
 * Org events carry `container` and `context` as arrays of JSON:API-style objects
 * (`{id, type, attributes{...}}`) whose `attributes` bags differ per event type. Copying
 * them whole into attributes doubled the payload (the body already has them) and gave
 * collectors nothing they could filter on, so only the routable parts are flattened into
 * parallel string arrays.
 */
import type { Attributes } from '../../pipeline/audit-log-record.js';
import { own } from '../record-helpers.js';

/** The first of these that an object's attributes carry is its human-readable name. */
const NAME_KEYS = ['name', 'siteName', 'displayName', 'cloudUrl'] as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nameOf(ref: unknown): string | undefined {
  const bag = own(ref, 'attributes');
  for (const key of NAME_KEYS) {
    const name = text(own(bag, key));
    if (name !== undefined) return name;
  }
  return undefined;
}

/** Sets `<prefix>.ids`, `.types` and `.names`, each only when some object has one. */
export function flattenObjectRefs(attrs: Attributes, prefix: string, refs: unknown): void {
  if (!Array.isArray(refs) || refs.length === 0) return;
  const ids: string[] = [];
  const types: string[] = [];
  const names: string[] = [];
  for (const ref of refs) {
    const id = text(own(ref, 'id'));
    const type = text(own(ref, 'type'));
    const name = nameOf(ref);
    if (id !== undefined) ids.push(id);
    if (type !== undefined && !types.includes(type)) types.push(type);
    if (name !== undefined) names.push(name);
  }
  if (ids.length > 0) attrs[`${prefix}.ids`] = ids;
  if (types.length > 0) attrs[`${prefix}.types`] = types;
  if (names.length > 0) attrs[`${prefix}.names`] = names;
}
