/**
 * Splits one array member of a JSON object, as the UTF-8 bytes of its text, into where its
 * elements start and end, without parsing them. A page of 500 audit events parsed at once is
 * about 1.5 MB of objects that all survive the young-generation collections made while the page
 * is mapped; parsed one element at a time, each event is garbage as soon as its record is
 * encoded. Working on the bytes also spares the page's text as one string: at 400 KB, V8 puts
 * it in its large-object space, which only a full collection empties.
 *
 * The scan only finds boundaries: the text outside the array is parsed by JSON.parse (with
 * the array replaced by `[]`) and each element is parsed on its own by whoever reads it, so
 * nothing here decides what is valid JSON. Anything it does not expect (no such member, two
 * of them, not an array, unbalanced brackets, a missing or extra comma, more than `maxElements`
 * elements) answers undefined, and the caller parses the whole text the ordinary way, which
 * reports the error. The bound matters for a hostile body: a wrapper per element costs more
 * than JSON.parse's array of small values.
 */

/** One element's JSON text, not decoded or parsed yet (a wrapper: an element may itself be a JSON string). */
export class JsonText {
  constructor(
    private readonly bytes: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get text(): string {
    return this.bytes.toString('utf8', this.start, this.end);
  }
}

/** An element as it was parsed: a JsonText is parsed now (a SyntaxError when it is not JSON). */
export function parsedElement(element: unknown): unknown {
  return element instanceof JsonText ? JSON.parse(element.text) : element;
}

export interface SplitMember {
  /** The object with the member's value replaced by an empty array. */
  readonly envelope: Record<string, unknown>;
  /** Each element's JSON text, in order. */
  readonly elements: JsonText[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export function splitArrayMember(text: Buffer, member: string, maxElements: number): SplitMember | undefined {
  let p = skipSpace(text, 0);
  if (text[p] !== OPEN_BRACE) return undefined;
  p++;
  let found: { start: number; end: number; elements: JsonText[] } | undefined;
  // Members of the top-level object: "key" : value , ... (an empty object has no such member).
  for (;;) {
    p = skipSpace(text, p);
    if (text[p] !== QUOTE) return undefined;
    const keyEnd = stringEnd(text, p);
    if (keyEnd < 0) return undefined;
    // An escaped key could name the member another way (JSON.parse keeps the last of two).
    for (let i = p + 1; i < keyEnd; i++) if (text[i] === BACKSLASH) return undefined;
    const isMember = keyEnd - p - 1 === member.length && startsWith(text, member, p + 1);
    p = skipSpace(text, keyEnd + 1);
    if (text[p] !== COLON) return undefined;
    p = skipSpace(text, p + 1);
    if (isMember) {
      if (found !== undefined || text[p] !== OPEN_BRACKET) return undefined;
      const elements: JsonText[] = [];
      const end = splitElements(text, p, elements, maxElements);
      if (end < 0) return undefined;
      found = { start: p, end, elements };
      p = end;
    } else {
      p = valueEnd(text, p);
      if (p < 0) return undefined;
    }
    p = skipSpace(text, p);
    const c = text[p];
    if (c === COMMA) {
      p++;
      continue;
    }
    if (c === CLOSE_BRACE) break;
    return undefined;
  }
  if (found === undefined) return undefined;
  try {
    // The text starts with `{` (checked above), so what parses is an object.
    const envelope = JSON.parse(`${text.toString('utf8', 0, found.start)}[]${text.toString('utf8', found.end)}`) as Record<string, unknown>;
    return { envelope, elements: found.elements };
  } catch {
    return undefined;
  }
}

/** From the `[` at `open`: pushes each element's text; returns the index after `]`, or -1. */
function splitElements(text: Buffer, open: number, out: JsonText[], max: number): number {
  let p = skipSpace(text, open + 1);
  if (text[p] === CLOSE_BRACKET) return p + 1;
  for (;;) {
    const start = p;
    const end = valueEnd(text, p);
    if (end < 0 || end === start || out.length === max) return -1;
    out.push(new JsonText(text, start, end));
    p = skipSpace(text, end);
    const c = text[p];
    if (c === CLOSE_BRACKET) return p + 1;
    if (c !== COMMA) return -1;
    p = skipSpace(text, p + 1);
  }
}

/**
 * The index just after the value starting at `p` (an object, array, string or bare literal),
 * or -1 when the text ends first. Brackets are only counted, not matched by kind: JSON.parse
 * of the element finds a mismatch.
 */
function valueEnd(text: Uint8Array, p: number): number {
  const first = text[p];
  if (first === QUOTE) {
    const end = stringEnd(text, p);
    return end < 0 ? -1 : end + 1;
  }
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return literalEnd(text, p);
  let depth = 0;
  for (let n = text.length; p < n; p++) {
    const c = text[p];
    if (c === QUOTE) {
      p = stringEnd(text, p);
      if (p < 0) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return p + 1;
    }
  }
  return -1;
}

/** The index of the quote closing the string that opens at `open`, or -1. */
function stringEnd(text: Uint8Array, open: number): number {
  for (let p = open + 1, n = text.length; p < n; p++) {
    const c = text[p];
    if (c === BACKSLASH) p++;
    else if (c === QUOTE) return p;
  }
  return -1;
}

/** `member` (ASCII) is at `at`. */
function startsWith(text: Uint8Array, member: string, at: number): boolean {
  for (let i = 0; i < member.length; i++) if (text[at + i] !== member.charCodeAt(i)) return false;
  return true;
}

/** A number, true, false or null: runs to the next delimiter. */
function literalEnd(text: Uint8Array, p: number): number {
  const n = text.length;
  while (p < n) {
    const c = text[p];
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) return p;
    if (c === QUOTE || c === OPEN_BRACE || c === OPEN_BRACKET || c === COLON) return -1;
    p++;
  }
  return -1;
}

function skipSpace(text: Uint8Array, p: number): number {
  while (isSpace(text[p])) p++;
  return p;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
