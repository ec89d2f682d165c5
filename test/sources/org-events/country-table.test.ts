// The committed country table (read at run time) against what it is generated from: ICU's
// English region names on the Node running the tests. CI runs this on Node 20 and Node 24.
import { describe, expect, it } from 'vitest';
import { deriveCountryTable } from '../../../src/sources/org-events/country-derivation.js';
import { COUNTRY_CODES } from '../../../src/sources/org-events/country-table.js';

describe('country-table.ts', () => {
  it(`holds every name this Node's ICU (${process.versions.icu}) derives, with the same code`, () => {
    const derived = deriveCountryTable();
    expect(derived.size).toBeGreaterThan(250);
    const missing = [...derived].filter(([name, code]) => COUNTRY_CODES.get(name) !== code).map(([name, code]) => `${name} -> ${code} (table: ${COUNTRY_CODES.get(name) ?? 'absent'})`);
    // Fix: npm run build && node scripts/generate-country-table.mjs
    expect(missing).toEqual([]);
  });

  it('holds only ISO 3166-1 alpha-2 shaped codes, keyed by lookup-form names', () => {
    for (const [name, code] of COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(name).toBe(name.trim().toLowerCase());
    }
  });
});
