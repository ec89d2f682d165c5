// The CLI holds V8's young generation at YOUNG_GENERATION_BYTES (cli/young-generation.ts) by
// steering the factor it grows by; checked in a fresh node process (built module, as the CLI
// runs it) that allocates pages of short-lived objects, with and without the hold.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { YOUNG_GENERATION_BYTES } from '../../src/cli/young-generation.js';

const MODULE = pathToFileURL(resolve(import.meta.dirname, '../../dist/cli/young-generation.js')).href;

/** Largest new space seen while 2,000 pages of 500 objects pass through (two pages alive at a time). */
function largestNewSpace(execArgv: string[], nodeOptions = ''): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { holdYoungGeneration } from ${JSON.stringify(MODULE)};
    holdYoungGeneration(${JSON.stringify(execArgv)}, ${JSON.stringify(nodeOptions)});
    const size = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const alive = [];
    let largest = 0;
    const page = (i) => {
      const records = [];
      for (let j = 0; j < 500; j++) records.push({ id: 'e' + i + ':' + j, attributes: { list: [i, j], text: 'x'.repeat(40) + j } });
      alive.push(records);
      if (alive.length > 2) alive.shift();
      largest = Math.max(largest, size());
      if (i < 2000) setImmediate(page, i + 1);
      else process.stdout.write(String(largest));
    };
    page(0);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 }));
}

describe('holdYoungGeneration', () => {
  it('keeps the new space at its size under a steady allocation rate', () => {
    expect(largestNewSpace([])).toBeLessThanOrEqual(YOUNG_GENERATION_BYTES);
  });

  it('changes nothing when node was given a semi-space size: V8 grows it past the hold', () => {
    expect(largestNewSpace(['--max-semi-space-size=16'])).toBeGreaterThan(YOUNG_GENERATION_BYTES);
  });

  it('changes nothing when NODE_OPTIONS gives one', () => {
    expect(largestNewSpace([], '--enable-source-maps --max-semi-space-size=16')).toBeGreaterThan(YOUNG_GENERATION_BYTES);
  });
});
