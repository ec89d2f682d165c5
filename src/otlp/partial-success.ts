/**
 * Reads ExportLogsServiceResponse.partial_success from a protobuf response body, so the
 * http/protobuf path needs nothing from @opentelemetry/otlp-transformer (whose load costs
 * start-up time and memory). Field numbers: opentelemetry/proto/collector/logs/v1/logs_service.proto.
 * Unknown fields are skipped and a repeated embedded message merges, as protobuf specifies.
 */
import { WireType } from './protobuf-writer.js';

const RESPONSE_PARTIAL_SUCCESS = 1;
const REJECTED_LOG_RECORDS = 1;
const ERROR_MESSAGE = 2;
const { VARINT, FIXED64, LEN, FIXED32 } = WireType;

export interface PartialSuccess {
  /** int64 on the wire, as a number (a collector's count stays far below 2^53). */
  readonly rejected: number;
  readonly message: string;
}

/** The partial success a response reports (0 and '' when it has none); undefined when the body is not a protobuf message. */
export function decodeExportLogsResponse(body: Uint8Array): PartialSuccess | undefined {
  let rejected = 0;
  let message = '';
  const top = new Reader(body, 0, body.length);
  while (top.more()) {
    const [field, wireType] = top.tag();
    if (field !== RESPONSE_PARTIAL_SUCCESS || wireType !== LEN) {
      top.skipField(wireType);
      continue;
    }
    const [start, end] = top.span();
    const inner = new Reader(body, start, end);
    while (inner.more()) {
      const [f, w] = inner.tag();
      if (f === REJECTED_LOG_RECORDS && w === VARINT) rejected = Number(BigInt.asIntN(64, inner.varint()));
      else if (f === ERROR_MESSAGE && w === LEN) {
        const [s, e] = inner.span();
        if (inner.ok) message = Buffer.from(body.buffer, body.byteOffset + s, e - s).toString('utf8');
      } else inner.skipField(w);
    }
    if (!inner.ok) return undefined;
  }
  return top.ok ? { rejected, message } : undefined;
}

/** Reads within [pos, end); on malformed input it stops (`ok` false) instead of throwing. */
class Reader {
  ok = true;

  constructor(private readonly buf: Uint8Array, private pos: number, private readonly end: number) {}

  more(): boolean {
    return this.ok && this.pos < this.end;
  }

  tag(): [field: number, wireType: number] {
    const key = Number(this.varint());
    return [Math.floor(key / 8), key % 8];
  }

  /** Up to 10 bytes, as BigInt: int64 needs all 64 bits, and a response is read once. */
  varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n && this.pos < this.end; shift += 7n) {
      const b = this.buf[this.pos++]!;
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, value);
    }
    return this.fail(0n);
  }

  /** The [start, end) of a length-delimited field's content. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    if (length > BigInt(this.end - start)) return this.fail([start, start]);
    this.pos = start + Number(length);
    return [start, this.pos];
  }

  skipField(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === LEN) this.span();
    else if (wireType === FIXED64 || wireType === FIXED32) {
      const size = wireType === FIXED64 ? 8 : 4;
      if (size > this.end - this.pos) this.fail(undefined);
      else this.pos += size;
    } else this.fail(undefined); // groups (3, 4) are not used by OTLP, 6 and 7 do not exist
  }

  private fail<T>(value: T): T {
    this.ok = false;
    this.pos = this.end;
    return value;
  }
}
