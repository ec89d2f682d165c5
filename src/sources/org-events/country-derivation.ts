import { normalizeCountryName } from './country-key.js';

/**
 * How country-table.ts is made (scripts/generate-country-table.mjs), and what a test checks it
 * against: the reverse of ICU's English region names (bundled with Node), plus aliases for the
 * spellings geo-IP databases and ISO's own list use where CLDR picked a different short form.
 * Not loaded at run time: building it touches about 5 MB of ICU data and costs 25 ms.
 */

/** Region codes ICU names that are not ISO 3166-1 countries (groupings, pseudo, reserved). */
const NOT_COUNTRIES: ReadonlySet<string> = new Set([
  'AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ',
]);

// Only spellings the generated variants do not already cover (diacritics, "&", "St.",
// parentheticals and "SAR China" are handled there).
const ALIASES: Readonly<Record<string, string>> = {
  'united states of america': 'US', usa: 'US', 'u.s.': 'US', 'u.s.a.': 'US',
  uk: 'GB', 'great britain': 'GB', 'united kingdom of great britain and northern ireland': 'GB',
  'korea, republic of': 'KR', 'republic of korea': 'KR', korea: 'KR',
  "korea, democratic people's republic of": 'KP',
  'viet nam': 'VN', 'czech republic': 'CZ', 'russian federation': 'RU', turkey: 'TR',
  'the netherlands': 'NL', 'netherlands, kingdom of the': 'NL',
  'iran, islamic republic of': 'IR', 'syrian arab republic': 'SY',
  "lao people's democratic republic": 'LA', 'brunei darussalam': 'BN',
  'moldova, republic of': 'MD', 'republic of moldova': 'MD',
  'tanzania, united republic of': 'TZ', 'bolivia, plurinational state of': 'BO',
  'venezuela, bolivarian republic of': 'VE', 'micronesia, federated states of': 'FM',
  'taiwan, province of china': 'TW', macau: 'MO', palestine: 'PS', 'palestine, state of': 'PS',
  burma: 'MM', 'ivory coast': 'CI', 'dr congo': 'CD', 'democratic republic of the congo': 'CD',
  'congo, the democratic republic of the': 'CD', 'congo republic': 'CG',
  'republic of the congo': 'CG', congo: 'CG', 'cabo verde': 'CV', 'east timor': 'TL',
  swaziland: 'SZ', macedonia: 'MK', 'holy see': 'VA', 'vatican city state': 'VA',
  'falkland islands (malvinas)': 'FK', 'united states minor outlying islands': 'UM',
  'virgin islands, british': 'VG', 'virgin islands, u.s.': 'VI', pitcairn: 'PN',
  'heard island and mcdonald islands': 'HM', 'bonaire, sint eustatius, and saba': 'BQ',
};

const PARENTHETICAL = /\s*\([^)]*\)/g;
const SAR_SUFFIX = / sar china$/;
const SAINT_ABBREVIATION = /^st\. /;

/** CLDR short forms ("St. Lucia", "Trinidad & Tobago", "Congo - Kinshasa") in longer spellings. */
function variants(key: string): string[] {
  const out = [key];
  const add = (v: string): void => {
    if (!out.includes(v)) out.push(v);
  };
  for (const v of out.slice()) add(v.replace(PARENTHETICAL, ''));
  for (const v of out.slice()) add(v.replace(SAR_SUFFIX, ''));
  for (const v of out.slice()) add(v.replaceAll(' & ', ' and '));
  for (const v of out.slice()) add(v.replace(SAINT_ABBREVIATION, 'saint '));
  return out;
}

export function deriveCountryTable(): Map<string, string> {
  const table = new Map<string, string>();
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      // Deprecated codes (BU, DD, SU, UK...) alias a current one; keep only the current code.
      if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
      const name = names.of(code);
      if (name === undefined || name === code) continue;
      for (const key of variants(normalizeCountryName(name))) {
        if (!table.has(key)) table.set(key, code);
      }
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) table.set(normalizeCountryName(alias), code);
  return table;
}
