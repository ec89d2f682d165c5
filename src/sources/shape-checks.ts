/**
 * Building blocks for copy-free checks that a record matches its source's zod schema. zod's
 * loose objects rebuild every object they accept, so validating each record copied it (and
 * made garbage) on the hot path while the mappings only read. Each source's check accepts a
 * subset of what its schema accepts; what it refuses still goes through the schema, whose
 * issues flag the record, so which records are flagged does not change.
 */
export type Bag = Readonly<Record<string, unknown>>;

/** zod's object test (util.isObject). */
export function isObject(v: unknown): v is Bag {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `z.string().nullish()` */
export function optString(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string';
}

/** `z.boolean().nullish()` */
export function optBool(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'boolean';
}

/** `z.number().int()`: zod accepts safe integers only. */
export function safeInt(v: unknown): v is number {
  return Number.isSafeInteger(v);
}

/** An object whose listed keys are all `z.string().nullish()`. */
export function stringFields(v: unknown, keys: readonly string[]): v is Bag {
  if (!isObject(v)) return false;
  for (const key of keys) if (!optString(v[key])) return false;
  return true;
}

/** nullish, or `stringFields`. */
export function optStringFields(v: unknown, keys: readonly string[]): boolean {
  return v === undefined || v === null || stringFields(v, keys);
}

/** nullish, or an array whose every item passes. */
export function optArrayOf(v: unknown, item: (x: unknown) => boolean): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (const x of v as readonly unknown[]) if (!item(x)) return false;
  return true;
}

/**
 * `z.record(z.string(), z.unknown()).nullish()`: zod wants a plain object (util.isPlainObject)
 * with string keys only; narrowed here to what JSON.parse builds.
 */
export function optPlainBag(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isObject(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.hasOwn(v, 'constructor')) return false;
  return Object.getOwnPropertySymbols(v).length === 0;
}
