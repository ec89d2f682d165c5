import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/**
 * Log consumers select lines by their stable `event` field (README, Logs). A call that forgets it
 * is invisible to them; this finds every logger call in src/ and its field list.
 */
describe('every log line has an event field', () => {
  it('no logger call in src/ leaves out `event`', () => {
    const missing: string[] = [];
    let calls = 0;
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/logger\??\.(?:debug|info|warn|error)\(|logger\[[A-Za-z]+\]\(/g)) {
        calls++;
        const call = text.slice(m.index, text.indexOf(');\n', m.index));
        // Fields passed as a variable: its declaration must name the event.
        const variable = /, (\w+)$/.exec(call)?.[1];
        const fields = variable ? (new RegExp(`const ${variable} = \\{[^}]*\\bevent:`).exec(text)?.[0] ?? '') : call;
        if (!/\bevent\b/.test(fields)) missing.push(`${relative(SRC, file)}:${text.slice(0, m.index).split('\n').length}`);
      }
    }
    expect(calls).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
