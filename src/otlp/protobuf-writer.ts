/**
 * The protobuf wire format, just the parts an OTLP export request needs, written into one
 * growable Buffer. Nested messages are written in a single pass: `fork()` reserves one byte for
 * the length (most OTLP sub-messages — key/values, short strings — are under 128 bytes), the
 * content is written after it, and `join()` writes the length, first moving the content with
 * copyWithin when the length needs more bytes. Lengths stay minimal varints, as protobufjs and
 * the OpenTelemetry SDK write them, so the bytes are the same and no size pass is needed.
 */

const TWO_32 = 0x1_0000_0000;
/** Below this length a JS loop beats the call into V8's UTF-8 writer (measured, Node 20). */
const SHORT_STRING = 32;

/** Protobuf wire types (FIXED32 is only read: a collector's response may carry one in an unknown field). */
export const WireType = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 } as const;

/** Bytes of `value` (≥ 0, < 2^32) as a varint. */
export function varint32Size(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : value < 0x1000_0000 ? 4 : 5;
}

/** Writes `value` (≥ 0, < 2^32) as a varint at `at`; returns the position after it. */
function writeVarint(buf: Buffer, at: number, value: number): number {
  let v = value;
  let p = at;
  while (v > 0x7f) {
    buf[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[p++] = v;
  return p;
}

export class ProtobufWriter {
  private buf: Buffer;
  private pos = 0;

  /** `initialBytes`: a guess of the final size; a wrong guess costs one copy per doubling. */
  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written, without a copy (valid until the next `reset`). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Starts over in the same buffer. */
  reset(): void {
    this.pos = 0;
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  /** A varint of a value in [0, 2^32). */
  uint32(value: number): void {
    this.ensure(5);
    this.pos = writeVarint(this.buf, this.pos, value >>> 0);
  }

  /**
   * An int64 varint of an integer number in [-2^63, 2^63). ToUint32 (`>>> 0`) is exact modular
   * arithmetic on any integer double, so the two halves are the two's complement words even past
   * 2^53 and for negative values (which therefore take 10 bytes, as protobuf requires).
   */
  int64(value: number): void {
    if (value >= 0 && value < TWO_32) return this.uint32(value);
    this.ensure(10);
    let low = value >>> 0;
    let high = Math.floor(value / TWO_32) >>> 0;
    while (high !== 0 || low > 0x7f) {
      this.buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this.buf[this.pos++] = low;
  }

  /** A fixed64 from its two 32-bit words. */
  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(low >>> 0, this.pos);
    this.buf.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * A length-delimited UTF-8 string. Lone surrogates become U+FFFD (EF BF BD), as TextEncoder
   * (the SDK's encoder) writes them; protobufjs would write invalid UTF-8 instead. The length
   * is reserved for the smallest possible size (one byte per UTF-16 unit) and the bytes moved
   * in the rare case the UTF-8 form needs a longer length.
   */
  string(value: string): void {
    const units = value.length;
    const reserved = varint32Size(units);
    this.ensure(reserved + units * 3 + 5);
    const start = this.pos + reserved;
    let written = units < SHORT_STRING ? this.ascii(value, start) : -1;
    if (written < 0) written = this.buf.write(value, start, 'utf8');
    this.pos = start + written;
    this.lengthAt(start - reserved, reserved, written);
  }

  /** Copies `value` if it is all ASCII; -1 (nothing meaningful written) otherwise. */
  private ascii(value: string, at: number): number {
    const n = value.length;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) return -1;
      this.buf[at + i] = c;
    }
    return n;
  }

  /**
   * A length-delimited field `fieldTag` (tag byte, wire type included) holding `prefix`, then a
   * field `middleTag` holding a field `innerTag` whose content is `value`, when `value` is ASCII:
   * every length then follows from the string's length, so all are written up front and none is
   * patched afterwards (an OTLP KeyValue with a string value has this shape). False, with
   * nothing written, when `value` is not ASCII.
   */
  nestedAscii(fieldTag: number, prefix: Uint8Array, middleTag: number, innerTag: number, value: string): boolean {
    const n = value.length;
    const innerLength = 1 + varint32Size(n) + n;
    const outerLength = prefix.length + 1 + varint32Size(innerLength) + innerLength;
    this.ensure(1 + varint32Size(outerLength) + outerLength);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = fieldTag;
    p = writeVarint(buf, p, outerLength);
    for (let i = 0; i < prefix.length; i++) buf[p++] = prefix[i]!;
    buf[p++] = middleTag;
    p = writeVarint(buf, p, innerLength);
    buf[p++] = innerTag;
    p = writeVarint(buf, p, n);
    if (this.ascii(value, p) < 0) return false;
    this.pos = p + n;
    return true;
  }

  /** Bytes written verbatim (an already encoded message, for instance). */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Starts a length-delimited field's content; pass the result to `join`. */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the content started by `fork(at)` by writing its length in front of it. */
  join(at: number): void {
    this.lengthAt(at, 1, this.pos - at - 1);
  }

  /** Writes `length` as a varint at `at`, where `reserved` bytes were left for it before the content. */
  private lengthAt(at: number, reserved: number, length: number): void {
    const size = varint32Size(length);
    if (size !== reserved) {
      this.ensure(size - reserved);
      this.buf.copyWithin(at + size, at + reserved, this.pos);
      this.pos += size - reserved;
    }
    writeVarint(this.buf, at, length);
  }
}
