/** C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/**
 * An API- or peer-supplied string made safe for a terminal or a log line: control characters
 * (escape sequences, newlines that would forge a summary line) become one space, and the
 * result is at most `max` characters.
 */
export function printable(text: string, max = 200): string {
  const clean = text.replace(CONTROL, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
