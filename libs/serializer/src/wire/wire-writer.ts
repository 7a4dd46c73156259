import { UINT32_MAX } from './wire-type.js';

const EMPTY = new Uint8Array(0);
const TWO_POW_32 = 0x1_0000_0000;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const LOW_32_BITS = 0xffff_ffffn;
/** Strings up to this many UTF-16 units are encoded by a JS loop; longer ones by `TextEncoder.encodeInto`. */
const SHORT_STRING = 64;
/** Strings up to this many UTF-16 units fit in at most 126 UTF-8 bytes: a one-byte length prefix always suffices. */
const ONE_BYTE_LENGTH_STRING = 42;

const encoder = new TextEncoder();

/**
 * Number of bytes of the varint of `value`, a uint32 (0 to 2^32-1). Used by the size pass
 * of the record codec to lay out length prefixes before writing.
 */
export function varint32Size(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x20_0000) return 3;
  if (value < 0x1000_0000) return 4;
  return 5;
}

/** Number of bytes of the varint of a tag with field number `fieldNo`. */
export function tagSize(fieldNo: number): number {
  return varint32Size((fieldNo << 3) >>> 0);
}

/** Number of bytes of an `int32` (enum) varint: negative values are sign-extended to 10 bytes. */
export function int32Size(value: number): number {
  checkInt32(value);
  return value < 0 ? 10 : varint32Size(value);
}

/**
 * Number of bytes of an `int64` varint. Throws `TypeError`/`RangeError`, like `toBinary`
 * does, when `value` is not a bigint in [-2^63, 2^63-1].
 */
export function int64Size(value: bigint): number {
  if (typeof value === 'bigint' && value >= 0n && value <= MAX_SAFE_BIG) return safeVarintSize(Number(value));
  checkBigInt(value, INT64_MIN, INT64_MAX, 'int64');
  return value < 0n ? 10 : bigVarintSize(value);
}

/** Number of bytes of a `uint64` varint. Throws unless `value` is a bigint in [0, 2^64-1]. */
export function uint64Size(value: bigint): number {
  if (typeof value === 'bigint' && value >= 0n && value <= MAX_SAFE_BIG) return safeVarintSize(Number(value));
  checkBigInt(value, 0n, UINT64_MAX, 'uint64');
  return bigVarintSize(value);
}

/**
 * Number of bytes `TextEncoder` produces for `text`: lone surrogates count as U+FFFD
 * (3 bytes), exactly as protobuf-es writes them.
 */
export function utf8ByteLength(text: string): number {
  const units = text.length;
  let size = units;
  for (let i = 0; i < units; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      size += 1;
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < units && isLowSurrogate(text.charCodeAt(i + 1))) {
      size += 2; // 2 units -> 4 bytes
      i++;
    } else {
      size += 2; // BMP char or lone surrogate (U+FFFD) -> 3 bytes
    }
  }
  return size;
}

/**
 * A growable protobuf byte writer. Callers that know the final size (the record codec
 * runs a size pass first) pass it as `capacity`: the writer then never grows and
 * `finish()` hands over its buffer without a copy.
 *
 * Every method validates its value the way protobuf-es `toBinary` does (a bad value is a
 * programming error: `TypeError` or `RangeError`), so invalid input never produces bytes
 * that decode to something else.
 */
export class WireWriter {
  private buf: Uint8Array;
  private pos = 0;

  /** `reserve` leaves that many zero bytes at the start for the caller (e.g. an envelope header). */
  constructor(capacity = 256, reserve = 0) {
    this.buf = capacity > 0 ? new Uint8Array(capacity) : EMPTY;
    this.pos = reserve;
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /**
   * The bytes written, as a Uint8Array that owns its buffer. Returns the internal buffer
   * itself when it is exactly full (no copy), otherwise a trimmed copy. The writer is
   * reset: writing again starts a new buffer.
   */
  finish(): Uint8Array {
    const out = this.pos === this.buf.length && this.pos > 0 ? this.buf : this.buf.slice(0, this.pos);
    this.buf = EMPTY;
    this.pos = 0;
    return out;
  }

  /** Writes a field tag: `fieldNo << 3 | wireType` as a varint. */
  tag(fieldNo: number, wireType: number): void {
    this.varint32(((fieldNo << 3) | wireType) >>> 0);
  }

  /** Writes a `uint32` varint (also used for lengths). */
  uint32(value: number): void {
    checkUint32(value);
    this.varint32(value);
  }

  /** Writes an `int32`/enum varint; negative values take 10 bytes (sign-extended to 64 bits). */
  int32(value: number): void {
    checkInt32(value);
    if (value >= 0) {
      this.varint32(value);
    } else {
      this.ensure(10);
      this.pos = writeVarint64(this.buf, this.pos, value >>> 0, UINT32_MAX);
    }
  }

  /** Writes an `int64` varint from a bigint in [-2^63, 2^63-1] (negative: 10 bytes, two's complement). */
  int64(value: bigint): void {
    if (typeof value === 'bigint' && value >= 0n && value <= MAX_SAFE_BIG) {
      this.safeVarint(Number(value));
      return;
    }
    checkBigInt(value, INT64_MIN, INT64_MAX, 'int64');
    this.bigVarint(BigInt.asUintN(64, value));
  }

  /** Writes a `uint64` varint from a bigint in [0, 2^64-1]. */
  uint64(value: bigint): void {
    if (typeof value === 'bigint' && value >= 0n && value <= MAX_SAFE_BIG) {
      this.safeVarint(Number(value));
      return;
    }
    checkBigInt(value, 0n, UINT64_MAX, 'uint64');
    this.bigVarint(value);
  }

  /** Writes a `bool` varint (one byte). */
  bool(value: boolean): void {
    if (typeof value !== 'boolean') throw new TypeError(`invalid bool: ${describe(value)}`);
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  /** Writes a `fixed32`: four little-endian bytes of a uint32. */
  fixed32(value: number): void {
    checkUint32(value);
    this.ensure(4);
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = value & 0xff;
    buf[pos + 1] = (value >>> 8) & 0xff;
    buf[pos + 2] = (value >>> 16) & 0xff;
    buf[pos + 3] = value >>> 24;
    this.pos = pos + 4;
  }

  /** Writes a length-delimited `bytes` value: varint length, then the bytes (one `set`, no per-byte loop). */
  bytes(value: Uint8Array): void {
    if (!(value instanceof Uint8Array)) throw new TypeError(`invalid bytes: ${describe(value)}`);
    this.uint32(value.length);
    this.raw(value);
  }

  /** Copies `value` as-is (no length prefix). */
  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /**
   * Writes a length-delimited UTF-8 string. Strings of up to 42 UTF-16 units are written
   * in one pass: a one-byte length is reserved and back-patched. Longer strings are
   * measured first (see {@link utf8Field} when the length is already known).
   */
  string(value: string): void {
    checkString(value);
    if (value.length > ONE_BYTE_LENGTH_STRING) {
      this.utf8Field(value, utf8ByteLength(value));
      return;
    }
    this.ensure(1 + value.length * 3);
    const start = this.pos + 1;
    const end = encodeUtf8(this.buf, start, value);
    this.buf[this.pos] = end - start;
    this.pos = end;
  }

  /**
   * Writes a length-delimited UTF-8 string whose encoded length the caller already
   * measured with {@link utf8ByteLength}. ASCII and short strings go through a JS loop
   * (no native call); long ones through `TextEncoder.encodeInto`. Throws if the length
   * does not match (the string changed between measuring and writing).
   */
  utf8Field(value: string, byteLength: number): void {
    this.uint32(byteLength);
    this.ensure(byteLength);
    const start = this.pos;
    const end =
      value.length <= SHORT_STRING
        ? encodeUtf8(this.buf, start, value)
        : start + encoder.encodeInto(value, this.buf.subarray(start, start + byteLength)).written;
    if (end - start !== byteLength) throw new RangeError(`string is ${end - start} UTF-8 bytes, measured ${byteLength}`);
    this.pos = end;
  }

  private varint32(value: number): void {
    this.ensure(varint32Size(value));
    this.pos = writeVarint32(this.buf, this.pos, value);
  }

  private safeVarint(value: number): void {
    this.ensure(safeVarintSize(value));
    const lo = value >>> 0;
    this.pos = writeVarint64(this.buf, this.pos, lo, (value - lo) / TWO_POW_32);
  }

  private bigVarint(value: bigint): void {
    this.ensure(bigVarintSize(value));
    this.pos = writeVarint64(this.buf, this.pos, Number(value & LOW_32_BITS), Number(value >> 32n));
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.grow(bytes);
  }

  private grow(bytes: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes, 64));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

function writeVarint32(buf: Uint8Array, start: number, value: number): number {
  let pos = start;
  let v = value;
  while (v > 0x7f) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Writes the varint of the 64-bit value `hi * 2^32 + lo` (both uint32). */
function writeVarint64(buf: Uint8Array, start: number, low: number, high: number): number {
  let pos = start;
  let lo = low;
  let hi = high;
  while (hi > 0 || lo > 0x7f) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

/** UTF-8 encodes `text` at `start` exactly like `TextEncoder` (lone surrogates -> U+FFFD); returns the end. */
function encodeUtf8(buf: Uint8Array, start: number, text: string): number {
  let pos = start;
  const units = text.length;
  for (let i = 0; i < units; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
      continue;
    }
    if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) {
      const next = c < 0xdc00 && i + 1 < units ? text.charCodeAt(i + 1) : 0;
      if (isLowSurrogate(next)) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        buf[pos++] = 0xf0 | (cp >> 18);
        buf[pos++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[pos++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[pos++] = 0x80 | (cp & 0x3f);
        i++;
        continue;
      }
      c = 0xfffd;
    }
    buf[pos++] = 0xe0 | (c >> 12);
    buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
    buf[pos++] = 0x80 | (c & 0x3f);
  }
  return pos;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c < 0xe000;
}

/** Varint size of an integer in [0, 2^53). */
function safeVarintSize(value: number): number {
  if (value < 0x1000_0000) return varint32Size(value);
  if (value < 2 ** 35) return 5;
  if (value < 2 ** 42) return 6;
  if (value < 2 ** 49) return 7;
  return 8;
}

/** Varint size of a bigint in [2^53, 2^64). */
function bigVarintSize(value: bigint): number {
  if (value < 1n << 56n) return 8;
  return value < 1n << 63n ? 9 : 10;
}

function checkUint32(value: number): void {
  if (value >>> 0 !== value) throw invalidNumber('uint32', value);
}

function checkInt32(value: number): void {
  if ((value | 0) !== value) throw invalidNumber('int32', value);
}

function checkString(value: string): void {
  if (typeof value !== 'string') throw new TypeError(`invalid string: ${describe(value)}`);
}

function checkBigInt(value: bigint, min: bigint, max: bigint, kind: string): void {
  if (typeof value !== 'bigint') throw new TypeError(`invalid ${kind}: ${describe(value)}, expected a bigint`);
  if (value < min || value > max) throw new RangeError(`invalid ${kind}: ${value} is out of range`);
}

function invalidNumber(kind: string, value: unknown): Error {
  return typeof value === 'number' ? new RangeError(`invalid ${kind}: ${value}`) : new TypeError(`invalid ${kind}: ${describe(value)}`);
}

function describe(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : `${typeof value} ${String(value)}`;
}
