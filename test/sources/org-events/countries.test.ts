import { describe, expect, it } from 'vitest';
import { countryIsoCode } from '../../../src/sources/org-events/countries.js';

describe('countryIsoCode', () => {
  it.each([
    ['United States', 'US'],
    ['United Kingdom', 'GB'],
    ['Germany', 'DE'],
    ['Japan', 'JP'],
    ['Brazil', 'BR'],
    ['India', 'IN'],
    ['Australia', 'AU'],
    ['France', 'FR'],
    ['Canada', 'CA'],
    ['Netherlands', 'NL'],
    ['Poland', 'PL'],
    ['Spain', 'ES'],
    ['Ireland', 'IE'],
    ['South Korea', 'KR'],
    ['Korea, Republic of', 'KR'],
    ['Russia', 'RU'],
    ['China', 'CN'],
    ['Vietnam', 'VN'],
    ['Viet Nam', 'VN'],
    ['Czechia', 'CZ'],
    ['Czech Republic', 'CZ'],
    ['Hong Kong', 'HK'],
    ['Türkiye', 'TR'],
    ['Turkey', 'TR'],
    ['Myanmar', 'MM'],
    ['Bosnia and Herzegovina', 'BA'],
    ['Saint Lucia', 'LC'],
    ["Côte d'Ivoire", 'CI'],
    ['Cote d’Ivoire', 'CI'],
    ['Kosovo', 'XK'],
  ])('%s -> %s', (name, code) => {
    expect(countryIsoCode(name)).toBe(code);
  });

  it('is case- and whitespace-insensitive', () => {
    expect(countryIsoCode('united states')).toBe('US');
    expect(countryIsoCode('UNITED KINGDOM')).toBe('GB');
    expect(countryIsoCode('  south   korea ')).toBe('KR');
  });

  it.each(['Example Country', '', 'US', 'European Union', 'Unknown Region', 'Canary Islands'])(
    'does not know %j',
    (name) => {
      expect(countryIsoCode(name)).toBeUndefined();
    },
  );

  it('maps deprecated-code names to the current code', () => {
    expect(countryIsoCode('Germany')).toBe('DE'); // not DD
    expect(countryIsoCode('Serbia')).toBe('RS'); // not CS/YU
    expect(countryIsoCode('Myanmar (Burma)')).toBe('MM'); // not BU
  });
});
