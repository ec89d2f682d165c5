/**
 * Org events carry `container` and `context` as arrays of JSON:API-style objects
 * (`{id, type, attributes{...}}`) whose `attributes` bags differ per event type. Copying
 * them whole into attributes doubled the payload (the body already has them) and gave
 * collectors nothing they could filter on, so only the routable parts are flattened into
 * parallel string arrays.
 */
import { isText, own } from '../record-helpers.js';

/** The first of these that an object's attributes carry is its human-readable name. */
const NAME_KEYS = ['name', 'siteName', 'displayName', 'cloudUrl'] as const;

function nameOf(ref: unknown): string | undefined {
  const bag = own(ref, 'attributes');
  for (const key of NAME_KEYS) {
    const name = own(bag, key);
    if (isText(name)) return name;
  }
  return undefined;
}

/** The parallel arrays; each only when some object has one. */
export interface FlatObjectRefs {
  readonly ids: string[] | undefined;
  readonly types: string[] | undefined;
  readonly names: string[] | undefined;
}

const NONE: FlatObjectRefs = { ids: undefined, types: undefined, names: undefined };

export function flattenObjectRefs(refs: unknown): FlatObjectRefs {
  if (!Array.isArray(refs) || refs.length === 0) return NONE;
  const ids: string[] = [];
  const types: string[] = [];
  const names: string[] = [];
  for (const ref of refs) {
    const id = own(ref, 'id');
    const type = own(ref, 'type');
    const name = nameOf(ref);
    if (isText(id)) ids.push(id);
    if (isText(type) && !types.includes(type)) types.push(type);
    if (name !== undefined) names.push(name);
  }
  return {
    ids: ids.length > 0 ? ids : undefined,
    types: types.length > 0 ? types : undefined,
    names: names.length > 0 ? names : undefined,
  };
}
