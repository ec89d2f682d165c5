import type { z } from 'zod';

/** Zod's wording for unknown keys is cryptic ("Unrecognized key"); say what a user would. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  return issue.message;
}
