/** A copy-free check that an event matches `orgEventSchema` (see ../shape-checks.ts). */
import { isObject, optArrayOf, optPlainBag, optString, optStringFields } from '../shape-checks.js';
import type { OrgEvent } from './schema.js';

const AUTH = ['authType', 'tokenId', 'tokenLabel'] as const;
const ON_BEHALF_OF = ['id', 'name', 'email'] as const;
const LOCATION = ['ip', 'geo', 'countryName', 'regionName', 'city'] as const;
const MESSAGE = ['content', 'format'] as const;

function objectRef(v: unknown): boolean {
  return isObject(v) && optString(v.id) && optString(v.type) && optPlainBag(v.attributes);
}

function optActor(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isObject(v)) return false;
  if (!optString(v.id) || !optString(v.name) || !optString(v.email)) return false;
  if (!optStringFields(v.auth, AUTH) || !optStringFields(v.onBehalfOf, ON_BEHALF_OF)) return false;
  // `actor.app` has the shape of a container or context object.
  return v.app === undefined || v.app === null || objectRef(v.app);
}

export function isOrgEvent(raw: unknown): raw is OrgEvent {
  if (!isObject(raw)) return false;
  if (typeof raw.id !== 'string' || raw.id === '') return false;
  if (!optString(raw.type)) return false;
  const a = raw.attributes;
  if (!isObject(a) || typeof a.time !== 'string') return false;
  if (!optString(a.processedAt) || !optString(a.action)) return false;
  if (!optActor(a.actor) || !optArrayOf(a.context, objectRef) || !optArrayOf(a.container, objectRef)) return false;
  return optStringFields(a.location, LOCATION) && optStringFields(raw.message, MESSAGE);
}
