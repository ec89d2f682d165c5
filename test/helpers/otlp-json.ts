// Strict OTLP/JSON reader. protobufjs' own fromObject() coerces almost
// anything (enum names, snake_case is silently dropped, numbers for strings),
// which would hide exactly the encoding bugs this fake collector exists to
// catch. So the JSON is first checked field by field against the proto
// reflection data, then handed to fromObject() to build the same message the
// protobuf path decodes.
import protobuf from 'protobufjs';

export class OtlpJsonError extends Error {
  override name = 'OtlpJsonError';
}

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
// OTLP overrides proto3 JSON here: trace and span ids are hex, not base64.
const HEX_BYTES = new Map([['traceId', 16], ['spanId', 8]]);

/** Parses an OTLP/JSON body into a message of `type`; throws OtlpJsonError. */
export function decodeOtlpJson(type: protobuf.Type, text: string): protobuf.Message {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OtlpJsonError(`invalid JSON: ${(err as Error).message}`);
  }
  return type.fromObject(readMessage(type, parsed, '$'));
}

function readMessage(type: protobuf.Type, json: unknown, at: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new OtlpJsonError(`${at}: object expected for ${type.name}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = type.fields[key];
    if (!field) {
      const camel = protobuf.util.camelCase(key);
      if (camel !== key && type.fields[camel]) {
        throw new OtlpJsonError(`${at}.${key}: OTLP/JSON keys must be lowerCamelCase ("${camel}")`);
      }
      continue; // OTLP: receivers MUST ignore unknown fields.
    }
    if (value === null) continue; // proto3 JSON: null means "default".
    const where = `${at}.${key}`;
    if (field.repeated) {
      if (!Array.isArray(value)) throw new OtlpJsonError(`${where}: array expected`);
      out[key] = value.map((item, i) => readValue(field, item, `${where}[${i}]`));
    } else {
      out[key] = readValue(field, value, where);
    }
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => name in out);
    if (set.length > 1) throw new OtlpJsonError(`${at}: more than one of ${set.join(', ')} set`);
  }
  return out;
}

function readValue(field: protobuf.Field, value: unknown, at: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return readMessage(resolved, value, at);
  if (resolved instanceof protobuf.Enum) {
    if (!Number.isInteger(value)) throw new OtlpJsonError(`${at}: enums must be integers in OTLP/JSON`);
    return value;
  }
  if (INT64.has(field.type)) return readInt64(value, !field.type.startsWith('u') && field.type !== 'fixed64', at);
  if (INT32.has(field.type)) {
    if (Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value))) return Number(value);
    throw new OtlpJsonError(`${at}: 32-bit integer expected`);
  }
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') throw new OtlpJsonError(`${at}: string expected`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new OtlpJsonError(`${at}: boolean expected`);
      return value;
    case 'double':
    case 'float':
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw new OtlpJsonError(`${at}: number expected`);
    case 'bytes':
      return readBytes(field.name, value, at);
    default:
      throw new OtlpJsonError(`${at}: unsupported field type ${field.type}`);
  }
}

function readInt64(value: unknown, signed: boolean, at: string): string {
  if (typeof value === 'string' && (signed ? /^-?\d+$/ : /^\d+$/).test(value)) return value;
  // A JSON number above 2^53 has already lost precision in the sender's or our
  // JSON parser; accepting it would hide nanosecond-timestamp corruption.
  if (typeof value === 'number' && Number.isSafeInteger(value) && (signed || value >= 0)) return String(value);
  throw new OtlpJsonError(`${at}: 64-bit integer expected as decimal string or safe integer number`);
}

function readBytes(name: string, value: unknown, at: string): Uint8Array {
  if (typeof value !== 'string') throw new OtlpJsonError(`${at}: string expected for bytes`);
  const hexLength = HEX_BYTES.get(name);
  if (hexLength !== undefined) {
    if (value === '') return new Uint8Array(0);
    if (!/^[0-9a-fA-F]+$/.test(value) || value.length !== hexLength * 2) {
      throw new OtlpJsonError(`${at}: ${name} must be ${hexLength * 2} hex characters`);
    }
    return Buffer.from(value, 'hex');
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) throw new OtlpJsonError(`${at}: base64 expected`);
  return Buffer.from(value, 'base64');
}
