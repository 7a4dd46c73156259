import { CorruptedDataError } from '../errors/errors.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './wire-type.js';

const TWO_POW_32 = 0x1_0000_0000;
/** Strings up to this many bytes are built in JS when ASCII; others are decoded by `TextDecoder`. */
const SHORT_STRING = 32;
/** Deepest nesting of length-delimited messages accepted; flunq records need 4. */
export const MAX_NESTING_DEPTH = 32;

/**
 * What protobuf-es uses for proto3 `string` fields: invalid UTF-8 is an error (fromBinary
 * throws a TypeError, we a CorruptedDataError) and a leading U+FEFF is dropped (the
 * TextDecoder default), so decoded strings equal what `fromBinary` returns.
 */
const decoder = new TextDecoder('utf-8', { fatal: true });
const fromCharCode = String.fromCharCode;
/** `fromCharCode` accepting reads past the end of the input (undefined -> U+0000, trimmed off after). */
const fromCodes = String.fromCharCode as (...codes: (number | undefined)[]) => string;

/**
 * A bounds-checked protobuf reader over a region of a Uint8Array. It never copies:
 * `bytes()` returns subarray views of the input. All malformed input (truncation, overlong
 * varints, lengths past the end, unsupported wire types, invalid UTF-8, nesting deeper
 * than {@link MAX_NESTING_DEPTH}) throws {@link CorruptedDataError}; every read advances,
 * so no input can make a decode loop spin.
 *
 * `limit` is the end of the message being read: nested messages narrow it, and nothing
 * may be read past it, so a field cannot straddle the end of its message.
 */
export class WireReader {
  /** Offset of the next byte to read. */
  pos: number;
  /** End (exclusive) of the current message. */
  limit: number;
  private depth = 0;
  /** High 32 bits (bits 32..63) of the last varint read by {@link uint32}, for 64-bit reads. */
  private high = 0;
  /** Whether `buf` is exactly a Uint8Array (not a Buffer or other subclass). */
  private readonly plain: boolean;

  constructor(
    /** The input. Only `[start, end)` is read. */
    readonly buf: Uint8Array,
    /** What is being decoded, for error messages, e.g. `workflow event`. */
    readonly what: string,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.limit = end;
    this.plain = buf.constructor === Uint8Array;
  }

  /**
   * Reads a tag and returns it as `fieldNo << 3 | wireType` (use `>>> 3` and `& 7`); never
   * 0. Rejects field number 0 and tags longer than 5 bytes or above 2^32-1. Wire types are
   * left to the caller: the decode loop looks fields up by whole tag, so a field with an
   * unexpected wire type finds no reader, and {@link skip} rejects groups, 6 and 7. Valid
   * input thus pays no extra check.
   */
  tag(): number {
    const start = this.pos;
    const first = this.buf[start] ?? 0;
    if (first < 0x80 && first >= 8 && start < this.limit) {
      this.pos = start + 1;
      return first;
    }
    const tag = this.uint32();
    if (this.pos - start > 5 || (this.pos - start === 5 && (this.buf[this.pos - 1] ?? 0) > 0x0f)) {
      this.fail(`tag at byte ${start} overflows 32 bits`);
    }
    if (tag < 8) this.fail(`field number 0 at byte ${start}`);
    return tag;
  }

  /**
   * Reads a varint and keeps its low 32 bits as a uint32 (what protobuf does for uint32
   * fields given a longer varint). Bits 32..63 are kept for {@link uint64} and friends.
   */
  uint32(): number {
    this.high = 0;
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++] ?? 0;
    let value = b & 0x7f;
    if (b & 0x80) {
      b = buf[pos++] ?? 0;
      value |= (b & 0x7f) << 7;
      if (b & 0x80) {
        b = buf[pos++] ?? 0;
        value |= (b & 0x7f) << 14;
        if (b & 0x80) {
          b = buf[pos++] ?? 0;
          value |= (b & 0x7f) << 21;
          if (b & 0x80) {
            b = buf[pos++] ?? 0;
            value |= b << 28;
            pos = this.skipVarintTail(pos, b);
          }
        }
      }
    }
    this.advanceTo(pos);
    return value >>> 0;
  }

  /** Reads an `int32`/enum varint (low 32 bits, two's complement). */
  int32(): number {
    return this.uint32() | 0;
  }

  /** Reads a `uint64` varint as a bigint. */
  uint64(): bigint {
    const lo = this.uint32();
    const hi = this.high;
    return hi === 0 ? BigInt(lo) : hi < 0x20_0000 ? BigInt(hi * TWO_POW_32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Reads an `int64` varint as a bigint (two's complement of the low 64 bits). */
  int64(): bigint {
    const lo = this.uint32();
    const hi = this.high;
    if (hi < 0x20_0000) return hi === 0 ? BigInt(lo) : BigInt(hi * TWO_POW_32 + lo);
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  /** Reads a `bool` varint: any non-zero value is true. */
  bool(): boolean {
    return (this.uint32() | this.high) !== 0;
  }

  /** Reads a `fixed32`: four little-endian bytes as a uint32. */
  fixed32(): number {
    const pos = this.pos;
    this.advanceTo(pos + 4);
    const buf = this.buf;
    return ((buf[pos] ?? 0) | ((buf[pos + 1] ?? 0) << 8) | ((buf[pos + 2] ?? 0) << 16) | ((buf[pos + 3] ?? 0) << 24)) >>> 0;
  }

  /**
   * Reads a length-delimited `bytes` value as a view of the input (no copy), of the same
   * class as `subarray` returns (a Buffer for Buffer input, as `fromBinary` gives).
   */
  bytes(): Uint8Array {
    const start = this.lengthPrefix();
    // Same view as subarray(), built directly: about twice as fast for plain Uint8Arrays.
    return this.plain ? new Uint8Array(this.buf.buffer, this.buf.byteOffset + start, this.pos - start) : this.buf.subarray(start, this.pos);
  }

  /**
   * Reads a length-delimited UTF-8 string. Short ASCII strings are built in JS (no native
   * call); anything else goes through `TextDecoder`. Invalid UTF-8 is rejected, as
   * protobuf-es rejects it in proto3 strings.
   */
  string(): string {
    const start = this.lengthPrefix();
    const end = this.pos;
    if (start === end) return '';
    const length = end - start;
    if (length <= 12) {
      const ascii = shortAscii(this.buf, start, end);
      if (ascii !== undefined) return ascii;
    } else if (length <= SHORT_STRING) {
      const ascii = mediumAscii(this.buf, start, end);
      if (ascii !== undefined) return ascii;
    }
    return this.utf8(start, end);
  }

  /**
   * Skips the value of an unknown field (kept for forward compatibility, ignored here),
   * given the tag {@link tag} returned. Field number 0, groups (wire types 3, 4) and wire
   * types 6 and 7 are rejected.
   */
  skip(tag: number): void {
    if (tag >>> 3 === 0) this.fail(`field number 0 at byte ${this.pos}`);
    const wireType = tag & 7;
    if (wireType === WIRE_VARINT) this.uint32();
    else if (wireType === WIRE_LEN) this.lengthPrefix();
    else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) this.advanceTo(this.pos + (wireType === WIRE_FIXED64 ? 8 : 4));
    else this.fail(`unsupported wire type ${wireType} (field ${tag >>> 3}) before byte ${this.pos}`);
  }

  /**
   * Starts reading a length-delimited embedded message: reads its length, narrows `limit`
   * to its end and returns the enclosing limit, to hand back to {@link leave}.
   */
  enter(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.limit) this.fail(`message of ${length} bytes at byte ${this.pos} runs past the end (${this.limit})`);
    if (++this.depth > MAX_NESTING_DEPTH) this.fail(`messages nested deeper than ${MAX_NESTING_DEPTH}`);
    const outer = this.limit;
    this.limit = end;
    return outer;
  }

  /** Ends an embedded message started by {@link enter}: its bytes must all have been read. */
  leave(outerLimit: number): void {
    if (this.pos !== this.limit) this.fail(`embedded message ends at byte ${this.pos}, expected ${this.limit}`);
    this.limit = outerLimit;
    this.depth--;
  }

  /** Throws a {@link CorruptedDataError} about what is being read. */
  fail(reason: string): never {
    throw new CorruptedDataError(this.what, reason);
  }

  /** Reads the varint bytes after the 5th, keeping bits 32..63 in `high`. */
  private skipVarintTail(start: number, fifth: number): number {
    let hi = (fifth & 0x7f) >>> 4;
    if (!(fifth & 0x80)) {
      this.high = hi;
      return start;
    }
    let pos = start;
    for (let shift = 3; shift < 32; shift += 7) {
      const b = this.buf[pos++] ?? 0;
      hi |= (b & 0x7f) << shift;
      if (!(b & 0x80)) {
        this.high = hi >>> 0;
        return pos;
      }
    }
    return this.fail(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  private utf8(start: number, end: number): string {
    try {
      return decoder.decode(this.buf.subarray(start, end));
    } catch (error) {
      throw new CorruptedDataError(this.what, `invalid UTF-8 in the string at byte ${start}`, { cause: error });
    }
  }

  /** Reads a length prefix, checks the region fits, moves past it; returns its start. */
  private lengthPrefix(): number {
    const pos = this.pos;
    const length = this.buf[pos] ?? 0x80;
    if (length < 0x80 && pos + 1 + length <= this.limit) {
      this.pos = pos + 1 + length;
      return pos + 1;
    }
    const size = this.uint32();
    const start = this.pos;
    this.advanceTo(start + size);
    return start;
  }

  private advanceTo(pos: number): void {
    if (pos > this.limit) this.fail(`truncated: needs ${pos - this.limit} more byte(s) at byte ${this.pos}`);
    this.pos = pos;
  }
}

/**
 * Strings of ASCII bytes are built in JS, avoiding the fixed cost of a `TextDecoder` call,
 * and always as flat strings: V8 builds concatenations of 13+ chars as rope (cons)
 * strings, whose flattening cost would only move to the first reader of the field.
 *
 * `mediumAscii` handles 13 to {@link SHORT_STRING} bytes: it checks they are ASCII (four
 * per step), then makes one `fromCharCode` call of 16, 24 or 32 codes (reading past the end)
 * and trims it. Returns undefined for non-ASCII bytes.
 */
function mediumAscii(b: Uint8Array, start: number, end: number): string | undefined {
  let bits = 0;
  let k = start;
  for (; k + 4 <= end; k += 4) bits |= (b[k] as number) | (b[k + 1] as number) | (b[k + 2] as number) | (b[k + 3] as number);
  for (; k < end; k++) bits |= b[k] as number;
  if (bits >= 0x80) return undefined;
  const length = end - start;
  return paddedString(b, start, length).substring(0, length);
}

/** One `fromCharCode` call over the 16, 24 or 32 bytes from `i` that cover `length` (bytes past the input become U+0000). */
function paddedString(b: Uint8Array, i: number, length: number): string {
  if (length <= 16) {
    return fromCodes(
      b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7],
      b[i + 8], b[i + 9], b[i + 10], b[i + 11], b[i + 12], b[i + 13], b[i + 14], b[i + 15],
    );
  }
  if (length <= 24) {
    return fromCodes(
      b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7],
      b[i + 8], b[i + 9], b[i + 10], b[i + 11], b[i + 12], b[i + 13], b[i + 14], b[i + 15],
      b[i + 16], b[i + 17], b[i + 18], b[i + 19], b[i + 20], b[i + 21], b[i + 22], b[i + 23],
    );
  }
  return fromCodes(
    b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7],
    b[i + 8], b[i + 9], b[i + 10], b[i + 11], b[i + 12], b[i + 13], b[i + 14], b[i + 15],
    b[i + 16], b[i + 17], b[i + 18], b[i + 19], b[i + 20], b[i + 21], b[i + 22], b[i + 23],
    b[i + 24], b[i + 25], b[i + 26], b[i + 27], b[i + 28], b[i + 29], b[i + 30], b[i + 31],
  );
}

/**
 * The ASCII string of at most 12 bytes (see {@link mediumAscii}), from `fromCharCode` calls
 * of 8, 4, 2 and 1 codes: concatenations that short are flat copies. Undefined if not ASCII.
 */
function shortAscii(b: Uint8Array, start: number, end: number): string | undefined {
  let text = '';
  let bits = 0;
  let i = start;
  if (i + 8 <= end) {
    const c0 = b[i] as number;
    const c1 = b[i + 1] as number;
    const c2 = b[i + 2] as number;
    const c3 = b[i + 3] as number;
    const c4 = b[i + 4] as number;
    const c5 = b[i + 5] as number;
    const c6 = b[i + 6] as number;
    const c7 = b[i + 7] as number;
    bits = c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
    text = fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7);
    i += 8;
  }
  if (i + 4 <= end) {
    const c0 = b[i] as number;
    const c1 = b[i + 1] as number;
    const c2 = b[i + 2] as number;
    const c3 = b[i + 3] as number;
    bits |= c0 | c1 | c2 | c3;
    text += fromCharCode(c0, c1, c2, c3);
    i += 4;
  }
  if (i + 2 <= end) {
    const c0 = b[i] as number;
    const c1 = b[i + 1] as number;
    bits |= c0 | c1;
    text += fromCharCode(c0, c1);
    i += 2;
  }
  if (i < end) {
    const c = b[i] as number;
    bits |= c;
    text += fromCharCode(c);
  }
  return bits < 0x80 ? text : undefined;
}
