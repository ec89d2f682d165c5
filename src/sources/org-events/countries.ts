import { normalizeCountryName } from './country-key.js';
import { COUNTRY_CODES } from './country-table.js';

/**
 * English country name -> ISO 3166-1 alpha-2, for `geo.country.iso_code`.
 *
 * Atlassian only sends `countryName`. The table is generated from ICU's English region names
 * (country-derivation.ts) rather than hand-typed, and committed rather than built at start-up.
 */

/** ISO 3166-1 alpha-2 code for an English country name, case-insensitive; undefined if unknown. */
export function countryIsoCode(name: string): string | undefined {
  return COUNTRY_CODES.get(name.toLowerCase()) ?? COUNTRY_CODES.get(normalizeCountryName(name));
}
