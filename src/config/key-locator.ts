import { isMap, isScalar, type Document, type LineCounter } from 'yaml';

/** A key printed as is in an error: short and shaped like a setting or header name. */
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/;

/**
 * Names keys in config errors without ever printing a value. A typo such as
 * `apiToken <token>:` or `authorization Bearer <token>:` turns a secret into a map key, so a
 * key that does not look like a setting name is described by its position in the file instead.
 */
export class KeyLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** `key` itself, or `<key at line 3, column 5>` when it may hold a secret. */
  name(parentPath: readonly PropertyKey[], key: string): string {
    if (SETTING_NAME.test(key)) return key;
    const where = this.where(parentPath, key);
    return `<a key at ${where ?? 'an unknown position'}, not shown: it does not look like a setting name>`;
  }

  /** A dotted path (`sources[0].auth.apiToken`) with every unsafe key replaced by its position. */
  path(path: readonly PropertyKey[]): string {
    return path
      .map((p, i) => {
        if (typeof p === 'number') return `[${p}]`;
        const text = this.name(path.slice(0, i), String(p));
        return i === 0 ? text : `.${text}`;
      })
      .join('');
  }

  private where(parentPath: readonly PropertyKey[], key: string): string | undefined {
    const parent = parentPath.length === 0 ? this.doc.contents : this.doc.getIn(parentPath as unknown[], true);
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
    const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (offset === undefined) return undefined;
    const { line, col } = this.lines.linePos(offset);
    return `line ${line}, column ${col}`;
  }
}
