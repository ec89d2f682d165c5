import { WireType } from './protobuf-writer.js';

const KEY_VALUE_KEY = 1;
/** Distinct keys kept (at most about 0.5 MB): record bodies may bring keys of their own. */
const MAX_KEYS = 4096;
const fields = new Map<string, Uint8Array>();

/**
 * A KeyValue's `key` field as written (tag, one-byte length, UTF-8), encoded once per distinct
 * key: a page repeats the same few dozen keys in every record. Undefined for a key longer than
 * 127 bytes, or new once the cache is full; the caller then writes the key itself.
 */
export function keyField(key: string): Uint8Array | undefined {
  const known = fields.get(key);
  if (known !== undefined || fields.size >= MAX_KEYS) return known;
  // Buffer's UTF-8 writes a lone surrogate as U+FFFD, as ProtobufWriter.string does.
  const utf8 = Buffer.from(key, 'utf8');
  if (utf8.length > 127) return undefined;
  const field = new Uint8Array(utf8.length + 2);
  field[0] = (KEY_VALUE_KEY << 3) | WireType.LEN;
  field[1] = utf8.length;
  field.set(utf8, 2);
  fields.set(key, field);
  return field;
}
