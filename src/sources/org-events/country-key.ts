const DIACRITICS = /\p{M}+/gu;
const WHITESPACE = /\s+/g;
const CURLY_APOSTROPHES = /[\u2018\u2019]/g;

/** Lower-case, accent-free, straight apostrophes, single spaces: the lookup key form. */
export function normalizeCountryName(name: string): string {
  return name
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .replace(CURLY_APOSTROPHES, "'")
    .replace(WHITESPACE, ' ')
    .trim()
    .toLowerCase();
}
