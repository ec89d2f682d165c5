import type * as z from '../util/zod.js';

/**
 * The unknown keys an issue reports: zod's own `unrecognized_keys`, or the custom issue a
 * nested schema re-raised with `params.unknownKeys` (schema.ts), so the key names reach
 * load.ts whole and can be shown or hidden there (key-locator.ts).
 */
export function unknownKeys(issue: z.core.$ZodIssue): readonly string[] | undefined {
  if (issue.code === 'unrecognized_keys') return issue.keys;
  const keys = issue.code === 'custom' ? (issue.params as { unknownKeys?: unknown } | undefined)?.unknownKeys : undefined;
  return Array.isArray(keys) ? keys.map(String) : undefined;
}

/** Zod's wording for unknown keys is cryptic ("Unrecognized key"); say what a user would. `name` may hide a key. */
export function issueMessage(issue: z.core.$ZodIssue, name: (key: string) => string = (k) => k): string {
  const keys = unknownKeys(issue);
  if (keys) return `unknown key${keys.length > 1 ? 's' : ''}: ${keys.map(name).join(', ')}`;
  return issue.message;
}
