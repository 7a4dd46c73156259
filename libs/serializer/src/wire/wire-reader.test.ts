import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CorruptedDataError } from '../errors/errors.js';
import { MAX_NESTING_DEPTH, WireReader } from './wire-reader.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './wire-type.js';

function reader(bytes: ArrayLike<number>, start = 0, end = bytes.length): WireReader {
  return new WireReader(Uint8Array.from(bytes), 'test record', start, end);
}

/** Writes values with protobuf-es, then reads them back with ours and with protobuf-es. */
function readsLikeProtobufEs<T>(values: T[], write: (w: BinaryWriter, v: T) => void, ours: (r: WireReader) => unknown, theirs: (r: BinaryReader) => unknown): void {
  const writer = new BinaryWriter();
  for (const value of values) write(writer, value);
  const bytes = writer.finish();
  const mine = new WireReader(bytes, 'test record');
  const reference = new BinaryReader(bytes);
  for (let i = 0; i < values.length; i++) expect(ours(mine)).toStrictEqual(theirs(reference));
  expect(mine.pos).toBe(bytes.length);
}

const uint32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const int64 = fc.oneof(fc.constantFrom(-1n, 2n ** 53n, 2n ** 63n - 1n, -(2n ** 63n)), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const uint64 = fc.oneof(fc.constantFrom(2n ** 32n, 2n ** 53n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));

describe('WireReader reads what protobuf-es writes, as protobuf-es reads it', () => {
  test('uint32, and the low 32 bits of longer varints (negative int32 written as 10 bytes)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(uint32, fc.integer({ min: -(2 ** 31), max: -1 })), { maxLength: 10 }), (values) =>
        readsLikeProtobufEs(values, (w, v) => (v < 0 ? w.int32(v) : w.uint32(v)), (r) => r.uint32(), (r) => r.uint32()),
      ),
    );
  });

  test('int32', () => {
    fc.assert(fc.property(fc.array(fc.integer(), { maxLength: 10 }), (values) => readsLikeProtobufEs(values, (w, v) => w.int32(v), (r) => r.int32(), (r) => r.int32())));
  });

  test('int64 and uint64 as bigint', () => {
    fc.assert(fc.property(fc.array(int64, { maxLength: 10 }), (values) => readsLikeProtobufEs(values, (w, v) => w.int64(v), (r) => r.int64(), (r) => r.int64())));
    fc.assert(fc.property(fc.array(uint64, { maxLength: 10 }), (values) => readsLikeProtobufEs(values, (w, v) => w.uint64(v), (r) => r.uint64(), (r) => r.uint64())));
  });

  test('bool from any varint', () => {
    fc.assert(fc.property(fc.array(uint64, { maxLength: 10 }), (values) => readsLikeProtobufEs(values, (w, v) => w.uint64(v), (r) => r.bool(), (r) => r.bool())));
  });

  test('fixed32', () => {
    fc.assert(fc.property(fc.array(uint32, { maxLength: 10 }), (values) => readsLikeProtobufEs(values, (w, v) => w.fixed32(v), (r) => r.fixed32(), (r) => r.fixed32())));
  });

  test('bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (values) =>
        readsLikeProtobufEs(values, (w, v) => w.bytes(v), (r) => r.bytes(), (r) => r.bytes()),
      ),
    );
  });

  test('strings: every ASCII length through each fast path, at the end of the input and before more bytes', () => {
    for (let length = 0; length <= 80; length++) {
      const value = Array.from({ length }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join('');
      for (const trailer of [[], [0xff, 0xff, 0xff]]) {
        const bytes = new BinaryWriter().string(value).raw(Uint8Array.from(trailer)).finish();
        expect(new WireReader(bytes, 'test record').string()).toBe(value);
      }
    }
  });

  test('strings: any Unicode, including non-ASCII bytes inside the fast-path lengths', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.tuple(fc.string({ minLength: 12, maxLength: 31 }), fc.constantFrom('é', '€', '😀')).map(([s, c]) => s + c),
    );
    fc.assert(fc.property(fc.array(text, { maxLength: 5 }), (values) => readsLikeProtobufEs(values, (w, v) => w.string(v), (r) => r.string(), (r) => r.string(true))));
  });

  test('strings are flat, not ropes: read them back char by char', () => {
    const value = 'io.flunq.task.completed-0123456789';
    const read = new WireReader(new BinaryWriter().string(value).finish(), 'test record').string();
    expect([...read].map((c) => c.charCodeAt(0))).toEqual([...value].map((c) => c.charCodeAt(0)));
  });
});

describe('bytes are views of the input', () => {
  test('a plain Uint8Array gives Uint8Array views on the same buffer', () => {
    const input = Uint8Array.of(0, 0, 3, 7, 8, 9, 0);
    const view = new WireReader(input, 'test record', 2).bytes();
    expect(view).toStrictEqual(Uint8Array.of(7, 8, 9));
    expect(view.buffer).toBe(input.buffer);
    expect(view.byteOffset).toBe(3);
  });

  test('a Buffer gives Buffer views, as subarray and fromBinary do', () => {
    const input = Buffer.from([3, 7, 8, 9]);
    const view = new WireReader(input, 'test record').bytes();
    expect(Buffer.isBuffer(view)).toBe(true);
    expect([...view]).toEqual([7, 8, 9]);
    expect(view.buffer).toBe(input.buffer);
  });
});

describe('skip', () => {
  test.each([
    ['varint', WIRE_VARINT, [0x96, 0x01]],
    ['fixed64', WIRE_FIXED64, [1, 2, 3, 4, 5, 6, 7, 8]],
    ['length-delimited', WIRE_LEN, [3, 1, 2, 3]],
    ['fixed32', WIRE_FIXED32, [1, 2, 3, 4]],
  ])('%s', (_name, wireType, value) => {
    const r = reader([...value, 0x2a]);
    r.skip((9 << 3) | wireType);
    expect(r.pos).toBe(value.length);
  });

  test.each([3, 4, 6, 7])('rejects wire type %d', (wireType) => {
    expect(() => reader([0, 0, 0, 0, 0, 0, 0, 0]).skip((9 << 3) | wireType)).toThrow(CorruptedDataError);
  });

  test('rejects field number 0', () => {
    expect(() => reader([0]).skip(WIRE_VARINT)).toThrow(/field number 0/);
  });

  test.each([
    ['fixed64', WIRE_FIXED64, [1, 2, 3]],
    ['fixed32', WIRE_FIXED32, [1]],
    ['length-delimited', WIRE_LEN, [0xff, 0xff, 0xff, 0xff, 0x0f, 1]],
    ['varint', WIRE_VARINT, [0x80, 0x80]],
  ])('rejects a truncated %s', (_name, wireType, value) => {
    expect(() => reader(value).skip((9 << 3) | wireType)).toThrow(CorruptedDataError);
  });
});

describe('malformed input throws CorruptedDataError', () => {
  test.each([
    ['empty varint', [], (r: WireReader) => r.uint32()],
    ['truncated varint', [0x80], (r: WireReader) => r.uint32()],
    ['truncated 64-bit varint', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], (r: WireReader) => r.uint64()],
    ['11-byte varint', [...Array(10).fill(0xff), 0x01], (r: WireReader) => r.int64()],
    ['11-byte varint read as uint32', [...Array(10).fill(0xff), 0x01], (r: WireReader) => r.uint32()],
    ['truncated fixed32', [1, 2, 3], (r: WireReader) => r.fixed32()],
    ['bytes past the end', [5, 1, 2], (r: WireReader) => r.bytes()],
    ['string past the end', [40, ...Array(20).fill(0x41)], (r: WireReader) => r.string()],
    ['invalid UTF-8', [2, 0xc3, 0x28], (r: WireReader) => r.string()],
    ['tag of 6 bytes', [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], (r: WireReader) => r.tag()],
    ['tag above 2^32-1', [0x80, 0x80, 0x80, 0x80, 0x10], (r: WireReader) => r.tag()],
    ['tag with field number 0', [0x02], (r: WireReader) => r.tag()],
    ['embedded message past the end', [5, 1], (r: WireReader) => r.enter()],
  ])('%s', (_name, bytes, read) => {
    expect(() => read(reader(bytes))).toThrow(CorruptedDataError);
  });

  test('the error says what was read and why', () => {
    expect(() => reader([0x80]).uint32()).toThrow('corrupted test record: truncated');
  });

  test('a region narrower than the input is not read past', () => {
    expect(() => reader([3, 0x41, 0x42, 0x43], 0, 3).string()).toThrow(CorruptedDataError);
    expect(() => reader([0x80, 0x01], 0, 1).uint32()).toThrow(CorruptedDataError);
    expect(reader([9, 3, 0x41, 0x42, 0x43], 1).string()).toBe('ABC');
  });

  test('an embedded message narrows the limit until leave, which requires it fully read', () => {
    const r = reader([2, 0x08, 0x01, 0x09]);
    const outer = r.enter();
    expect(r.limit).toBe(3);
    expect(r.tag()).toBe(0x08);
    expect(r.uint32()).toBe(1);
    r.leave(outer);
    expect(r.limit).toBe(4);

    const unread = reader([2, 0x08, 0x01]);
    const saved = unread.enter();
    expect(() => unread.leave(saved)).toThrow(CorruptedDataError);
  });

  test(`nesting is capped at ${MAX_NESTING_DEPTH} levels`, () => {
    const levels = MAX_NESTING_DEPTH + 1;
    const bytes = Array.from({ length: levels }, (_, i) => levels - 1 - i);
    const r = reader(bytes);
    for (let depth = 1; depth <= MAX_NESTING_DEPTH; depth++) r.enter();
    expect(() => r.enter()).toThrow(/nested deeper than 32/);
  });
});
