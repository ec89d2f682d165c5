import { createHash } from 'node:crypto';

/** Short, non-reversible tag for a secret, so limiters can be keyed per credential without holding it as a key. */
export function credentialTag(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}
