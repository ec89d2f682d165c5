import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonText, parsedElement, splitArrayMember } from '../../src/util/json-array-member.js';

/** What the page's reader ends up with: the envelope and every element parsed. */
function rebuilt(text: string): unknown {
  const split = splitArrayMember(Buffer.from(text), 'data', 1_000);
  if (split === undefined) return undefined;
  return { ...split.envelope, data: split.elements.map(parsedElement) };
}

const pages = JSON.parse(readFileSync(new URL('../fixtures/atlassian-samples/org-events-stream.pages.elastic-mock.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('splitArrayMember', () => {
  it('gives what JSON.parse gives for the Elastic mock org pages, each event left as its text', () => {
    for (const [name, page] of Object.entries(pages)) {
      if (name === '_provenance') continue;
      for (const text of [JSON.stringify(page), JSON.stringify(page, null, 2)]) {
        const split = splitArrayMember(Buffer.from(text), 'data', 1_000)!;
        expect(split.elements.every((e) => e instanceof JsonText)).toBe(true);
        expect(rebuilt(text)).toEqual(JSON.parse(text));
      }
    }
  });

  it('finds element boundaries past strings that hold brackets, commas, quotes and backslashes', () => {
    const texts = [
      '{"data":[]}',
      ' {\n "data" : [ 1 , "a\\"]" , {"x":"\\\\"}, [ ] , null, {"y":"}],{["}, "\\\\\\"" ] ,\r\n"meta":{"next":"c"} }\t',
      '{"before":{"data":[9]},"data":[{"data":[1,[2,[3]]]}],"after":"data"}',
      '{"data":[true,false,-1.5e3,0,"\\u0022\\u005d",{"é":"ü💡"}]}',
    ];
    for (const text of texts) expect(rebuilt(text), text).toEqual(JSON.parse(text));
  });

  it('decodes each element as the whole body would have been decoded, multi-byte and invalid UTF-8 alike', () => {
    const body = Buffer.concat([Buffer.from('{"data":[{"a":"é💡"},{"b":"'), Buffer.from([0xff, 0xc3]), Buffer.from('"}],"m":"ü"}')]);
    const split = splitArrayMember(body, 'data', 10)!;
    expect({ ...split.envelope, data: split.elements.map(parsedElement) }).toEqual(JSON.parse(body.toString('utf8')));
  });

  it('agrees with JSON.parse on generated values', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['"', '\\', '[', ']', '{', '}', ',', ':', 'a', ' ', 'é', '\n'];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      if (r < 0.4) return Math.floor(random() * 1e6) / 100 - 5000;
      if (r < 0.5) return [true, false, null][Math.floor(random() * 3)];
      if (r < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`${pieces[Math.floor(random() * pieces.length)]}${i}`, value(depth + 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const page = { links: value(1), data: Array.from({ length: Math.floor(random() * 5) }, () => value(0)), meta: { next: value(2) } };
      const text = JSON.stringify(page, null, i % 3);
      expect(rebuilt(text), text).toEqual(JSON.parse(text));
    }
  });

  it('answers undefined for anything it does not expect, so the caller parses the whole text (and reports the error)', () => {
    const cases = [
      '{}',
      '[{"data":[]}]',
      '{"results":[]}',
      '{"data":{}}',
      '{"data":"[]"}',
      '{"data":[1],"data":[2]}',
      '{"d\\u0061ta":[1],"data":[2]}',
      '{"data":[1,]}',
      '{"data":[1 2]}',
      '{"data":[,1]}',
      '{"data":[{"id":',
      '{"data":[{"id":"x"}],"meta":',
      '{"data":[{"a":[}]}',
      '{"data":[1]} trailing',
      '{"data":[1]',
      '{"data" [1]}',
      '',
      '<html>502</html>',
      `{"data":[${Array(1_001).fill(1).join(',')}]}`,
    ];
    for (const text of cases) expect(splitArrayMember(Buffer.from(text), 'data', 1_000), text).toBeUndefined();
  });

  it('splits up to maxElements elements', () => {
    expect(splitArrayMember(Buffer.from(`{"data":[${Array(1_000).fill(1).join(',')}]}`), 'data', 1_000)?.elements).toHaveLength(1_000);
  });

  it('leaves an element that is not JSON as its text; parsing it throws, as JSON.parse of the page would', () => {
    const text = '{"data":[{"id":"a"},{"id":tru},{"id":"c"}],"meta":{"next":null}}';
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const split = splitArrayMember(Buffer.from(text), 'data', 1_000)!;
    expect(split.envelope).toEqual({ data: [], meta: { next: null } });
    expect(parsedElement(split.elements[0])).toEqual({ id: 'a' });
    expect(() => parsedElement(split.elements[1])).toThrow(SyntaxError);
    expect(parsedElement({ already: 'parsed' })).toEqual({ already: 'parsed' });
  });
});
