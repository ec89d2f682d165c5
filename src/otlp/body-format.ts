import type { ExporterConfig } from '../config/config.js';
import type { AttributeValue } from '../pipeline/audit-log-record.js';
import { jsonText } from '../pipeline/depth-limit.js';

/**
 * How a record's body goes on the wire (`exporter.bodyFormat`): `map` as OTLP structure (an
 * AnyValue kvlist, the default), `json` as one string holding the record's JSON text. Both
 * carry the whole record; `json` is cheaper for a collector to decode, and a backend that
 * indexes the body as structure then holds it as text instead.
 */
export type BodyFormat = NonNullable<ExporterConfig['bodyFormat']>;

/** The body as `format` sends it: maps and lists as JSON text for `json`; a scalar body (a text already) as it is. */
export function wireBody(body: AttributeValue, format: BodyFormat | undefined): AttributeValue {
  if (format !== 'json' || body === null || typeof body !== 'object') return body;
  try {
    return JSON.stringify(body);
  } catch (err) {
    // JSON.stringify recurses; a body nested deeper than the stack allows (JSON.parse took it) still has a text.
    if (err instanceof RangeError) return jsonText(body);
    throw err;
  }
}
