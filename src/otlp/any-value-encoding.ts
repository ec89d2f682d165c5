import type { AttributeValue } from '../pipeline/audit-log-record.js';
import { MAX_VALUE_DEPTH } from '../pipeline/depth-limit.js';
import { type ProtobufWriter, WireType } from './protobuf-writer.js';

// Field numbers: opentelemetry/proto/common/v1/common.proto (AnyValue, ArrayValue, KeyValueList, KeyValue).
const ANY_STRING = 1;
const ANY_BOOL = 2;
const ANY_INT = 3;
const ANY_DOUBLE = 4;
const ANY_ARRAY = 5;
const ANY_KVLIST = 6;
const LIST_VALUES = 1;
const KEY_VALUE_KEY = 1;
const KEY_VALUE_VALUE = 2;

/**
 * Thrown when an object or array sits at MAX_VALUE_DEPTH or deeper: the caller encodes the
 * depth-limited record instead (pipeline/depth-limit.ts). Checking here, while encoding,
 * spares every record a separate walk of its body and attributes.
 */
export class NestedTooDeep extends Error {
  constructor() {
    super(`value nested ${MAX_VALUE_DEPTH} levels or deeper`);
  }
}

// Both bounds are powers of two, exact as doubles: integers outside int64 go out as doubles.
const MIN_INT64 = -(2 ** 63);
const MAX_INT64_EXCLUSIVE = 2 ** 63;

/**
 * The content of an AnyValue, mapped exactly as @opentelemetry/otlp-transformer maps a JS value
 * (common/protobuf/common-serializer.js, writeAnyValue), so switching encoders changes no byte:
 * string → string_value, boolean → bool_value, an integer in int64 range → int_value, any
 * other number (NaN and ±Infinity included) → double_value, array → array_value, other objects
 * → kvlist_value of their own enumerable keys, and null/undefined → an empty AnyValue.
 */
export function writeAnyValue(w: ProtobufWriter, value: AttributeValue | undefined, depth: number): void {
  switch (typeof value) {
    case 'string':
      w.tag(ANY_STRING, WireType.LEN);
      w.string(value);
      return;
    case 'boolean':
      w.tag(ANY_BOOL, WireType.VARINT);
      w.uint32(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64_EXCLUSIVE) {
        w.tag(ANY_INT, WireType.VARINT);
        w.int64(value);
      } else {
        w.tag(ANY_DOUBLE, WireType.FIXED64);
        w.double(value);
      }
      return;
    case 'object': {
      if (value === null) return;
      if (depth >= MAX_VALUE_DEPTH) throw new NestedTooDeep();
      if (Array.isArray(value)) {
        w.tag(ANY_ARRAY, WireType.LEN);
        const array = w.fork();
        for (const item of value as readonly AttributeValue[]) {
          w.tag(LIST_VALUES, WireType.LEN);
          const at = w.fork();
          writeAnyValue(w, item, depth + 1);
          w.join(at);
        }
        w.join(array);
        return;
      }
      w.tag(ANY_KVLIST, WireType.LEN);
      const list = w.fork();
      writeKeyValues(w, value as Readonly<Record<string, AttributeValue>>, LIST_VALUES, depth + 1);
      w.join(list);
      return;
    }
    default:
    // undefined (and anything JSON cannot hold): an empty AnyValue, as the SDK writes it.
  }
}

const VALUE_TAG = (KEY_VALUE_VALUE << 3) | WireType.LEN;
const STRING_TAG = (ANY_STRING << 3) | WireType.LEN;

/** Distinct keys kept encoded (at most about 0.5 MB): record bodies may bring keys of their own. */
const MAX_KEY_FIELDS = 4096;
const keyFields = new Map<string, Uint8Array>();

/**
 * A KeyValue's `key` field as written (tag, one-byte length, UTF-8), encoded once per distinct
 * key: a page repeats the same few dozen keys in every record. Undefined for a key longer than
 * 127 bytes, or new once the cache is full; the caller then writes the key itself.
 */
function keyField(key: string): Uint8Array | undefined {
  const known = keyFields.get(key);
  if (known !== undefined || keyFields.size >= MAX_KEY_FIELDS) return known;
  // Buffer's UTF-8 writes a lone surrogate as U+FFFD, as ProtobufWriter.string does.
  const utf8 = Buffer.from(key, 'utf8');
  if (utf8.length > 127) return undefined;
  const field = new Uint8Array(utf8.length + 2);
  field[0] = (KEY_VALUE_KEY << 3) | WireType.LEN;
  field[1] = utf8.length;
  field.set(utf8, 2);
  keyFields.set(key, field);
  return field;
}

/** One KeyValue per own enumerable key, each as repeated field `field` of the enclosing message; `depth` is the values'. */
export function writeKeyValues(w: ProtobufWriter, map: Readonly<Record<string, AttributeValue | undefined>>, field: number, depth: number): void {
  const fieldTag = (field << 3) | WireType.LEN;
  // Object.keys: the own enumerable keys in for-in order (the SDK's for-in + hasOwnProperty), faster.
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = map[key];
    const encodedKey = keyField(key);
    // A string value, ASCII as most are: written in one pass (ProtobufWriter.nestedAscii).
    if (encodedKey !== undefined && typeof value === 'string' && w.nestedAscii(fieldTag, encodedKey, VALUE_TAG, STRING_TAG, value)) continue;
    w.tag(field, WireType.LEN);
    const pair = w.fork();
    if (encodedKey !== undefined) {
      w.raw(encodedKey);
    } else {
      w.tag(KEY_VALUE_KEY, WireType.LEN);
      w.string(key);
    }
    w.tag(KEY_VALUE_VALUE, WireType.LEN);
    const at = w.fork();
    writeAnyValue(w, value, depth);
    w.join(at);
    w.join(pair);
  }
}
