/**
 * Expands absolute glob patterns (`*`, `?`, `[…]` within one path segment) to the regular files
 * that match, sorted by name. Small on purpose: audit paths are `<dir>/*.audit.log`, and Node 20
 * has no fs.glob. A directory that does not exist (yet) simply matches nothing.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const MAGIC = /[*?[]/;

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = segment.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function expand(base: string, segments: readonly string[]): Promise<string[]> {
  if (segments.length === 0) return [base];
  const [head, ...rest] = segments as [string, ...string[]];
  if (!MAGIC.test(head)) return expand(join(base, head), rest);
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return [];
  }
  const re = segmentRegex(head);
  const out: string[] = [];
  for (const name of names.filter((n) => re.test(n) && !n.startsWith('.')).sort()) out.push(...(await expand(join(base, name), rest)));
  return out;
}

/** Regular files matching any pattern, each once, ordered by file name then path (Atlassian names sort by date and counter). */
export async function globFiles(patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    for (const path of await expand('/', pattern.split('/').filter((s) => s !== ''))) {
      try {
        if ((await stat(path)).isFile()) found.add(path);
      } catch {
        // Gone between readdir and stat: the next poll sees the truth.
      }
    }
  }
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  return [...found].sort((a, b) => base(a).localeCompare(base(b)) || a.localeCompare(b));
}
