import { readReferencedFile } from './referenced-file.js';

/** Config values that came from `${file:…}` references: config path (e.g. `sources[0].apiKey`) to the text as written. */
export type SecretFileRefs = ReadonlyMap<string, string>;

const FILE_REF = /\$\$\{|\$\{\s*file:([^}]*)\}/g;

export function hasFileReference(text: string): boolean {
  return [...text.matchAll(FILE_REF)].some((m) => m[0] !== '$${');
}

/**
 * Reads a config value again from its files, so a mounted secret that was rotated takes effect
 * without a restart. Only `${file:…}` parts are re-read (environment variables cannot change
 * inside a running process). Undefined when a file cannot be read now: keep the current value.
 */
export function rereadFileValue(template: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let failed = false;
  const value = template.replace(/\$\$\{|\$\{([^}]*)\}/g, (whole, inner: string | undefined) => {
    if (whole === '$${') return '${';
    const ref = (inner ?? '').trim();
    if (ref.startsWith('file:')) {
      // The same rules as at start-up: a regular file of at most 64 KiB (referenced-file.ts).
      const read = readReferencedFile(ref.slice(5));
      if ('text' in read) return read.text;
      failed = true;
      return '';
    }
    const name = ref.startsWith('env:') ? ref.slice(4) : ref;
    return env[name] ?? '';
  });
  return failed || value === '' ? undefined : value;
}

/** A secret that can be asked to re-read its file; `reread` answers whether the value changed. */
export interface RereadableSecret {
  current(): string;
  reread(): boolean;
}

export function rereadableSecret(initial: string, template: string | undefined): RereadableSecret | undefined {
  if (template === undefined) return undefined;
  let value = initial;
  return {
    current: () => value,
    reread: () => {
      const fresh = rereadFileValue(template);
      if (fresh === undefined || fresh === value) return false;
      value = fresh;
      return true;
    },
  };
}
