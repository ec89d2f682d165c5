/**
 * A check that an event matches `orgEventSchema` without copying it. zod's loose objects
 * rebuild every object they accept, which cost a copy of each event (and its garbage) on the
 * hot path; the mapping only reads. This accepts a subset of what the schema accepts, and
 * anything it refuses still goes through the schema, whose issues name what was off, so
 * which events are flagged does not change (test/sources/org-events/guard.test.ts).
 */
import type { OrgEvent } from './schema.js';

type Bag = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Bag {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optString(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string';
}

/** zod's record check (util.isPlainObject, string keys only), narrowed to what JSON.parse builds. */
function optBag(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isObject(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.hasOwn(v, 'constructor')) return false;
  return Object.getOwnPropertySymbols(v).length === 0;
}

function optStrings(v: unknown, ...keys: readonly string[]): boolean {
  if (v === undefined || v === null) return true;
  if (!isObject(v)) return false;
  for (const key of keys) if (!optString(v[key])) return false;
  return true;
}

function objectRef(v: unknown): boolean {
  return isObject(v) && optString(v.id) && optString(v.type) && optBag(v.attributes);
}

function optObjectRefs(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (const item of v as readonly unknown[]) if (!objectRef(item)) return false;
  return true;
}

function optActor(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isObject(v)) return false;
  if (!optString(v.id) || !optString(v.name) || !optString(v.email)) return false;
  if (!optStrings(v.auth, 'authType', 'tokenId', 'tokenLabel')) return false;
  if (!optStrings(v.onBehalfOf, 'id', 'name', 'email')) return false;
  const app = v.app;
  if (app === undefined || app === null) return true;
  return isObject(app) && optString(app.id) && optString(app.type) && optBag(app.attributes);
}

export function isOrgEvent(raw: unknown): raw is OrgEvent {
  if (!isObject(raw)) return false;
  if (typeof raw.id !== 'string' || raw.id === '') return false;
  if (!optString(raw.type)) return false;
  const a = raw.attributes;
  if (!isObject(a) || typeof a.time !== 'string') return false;
  if (!optString(a.processedAt) || !optString(a.action)) return false;
  if (!optActor(a.actor) || !optObjectRefs(a.context) || !optObjectRefs(a.container)) return false;
  if (!optStrings(a.location, 'ip', 'geo', 'countryName', 'regionName', 'city')) return false;
  return optStrings(raw.message, 'content', 'format');
}
