import { BinaryWriter } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { int32Size, int64Size, tagSize, uint64Size, utf8ByteLength, varint32Size, WireWriter } from './wire-writer.js';

const uint32 = fc.oneof(fc.constantFrom(0, 1, 127, 128, 16_383, 16_384, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const int32 = fc.oneof(fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31)), fc.integer());
const int64 = fc.oneof(
  fc.constantFrom(0n, -1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 56n - 1n, 2n ** 56n, 2n ** 63n - 1n, -(2n ** 63n)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);
const uint64 = fc.oneof(fc.constantFrom(0n, 2n ** 53n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const text = fc.oneof(
  fc.string(),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), fc.constantFrom('a', 'é', '€', '😀')) }),
  fc.string({ minLength: 40, maxLength: 400 }),
  fc.string({ unit: 'grapheme', minLength: 30, maxLength: 100 }),
);

/** Bytes our writer produces for `write`, starting from an empty, growing buffer. */
function written(write: (w: WireWriter) => void, capacity = 0): Uint8Array {
  const writer = new WireWriter(capacity);
  write(writer);
  return writer.finish();
}

describe('WireWriter matches protobuf-es BinaryWriter', () => {
  test.each([
    ['uint32', uint32, (w: WireWriter, v: never) => w.uint32(v), (b: BinaryWriter, v: never) => b.uint32(v)],
    ['int32', int32, (w: WireWriter, v: never) => w.int32(v), (b: BinaryWriter, v: never) => b.int32(v)],
    ['fixed32', uint32, (w: WireWriter, v: never) => w.fixed32(v), (b: BinaryWriter, v: never) => b.fixed32(v)],
    ['int64', int64, (w: WireWriter, v: never) => w.int64(v), (b: BinaryWriter, v: never) => b.int64(v)],
    ['uint64', uint64, (w: WireWriter, v: never) => w.uint64(v), (b: BinaryWriter, v: never) => b.uint64(v)],
    ['bool', fc.boolean(), (w: WireWriter, v: never) => w.bool(v), (b: BinaryWriter, v: never) => b.bool(v)],
    ['bytes', fc.uint8Array({ maxLength: 300 }), (w: WireWriter, v: never) => w.bytes(v), (b: BinaryWriter, v: never) => b.bytes(v)],
    ['string', text, (w: WireWriter, v: never) => w.string(v), (b: BinaryWriter, v: never) => b.string(v)],
  ] as const)('%s', (_kind, values, ours, theirs) => {
    fc.assert(
      fc.property(fc.array(values as fc.Arbitrary<never>, { maxLength: 8 }), (list) => {
        const expected = new BinaryWriter();
        for (const value of list) theirs(expected, value);
        expect(written((w) => list.forEach((value) => ours(w, value)))).toStrictEqual(expected.finish());
      }),
      { numRuns: 300 },
    );
  });

  test('tags', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 29 - 1 }), fc.constantFrom(0, 1, 2, 5), (fieldNo, wireType) => {
        expect(written((w) => w.tag(fieldNo, wireType))).toStrictEqual(new BinaryWriter().tag(fieldNo, wireType).finish());
      }),
    );
  });

  test('utf8Field writes a measured string like string()', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(written((w) => w.utf8Field(value, utf8ByteLength(value)))).toStrictEqual(new BinaryWriter().string(value).finish());
      }),
      { numRuns: 300 },
    );
  });
});

describe('size helpers agree with what is written', () => {
  test('varint32Size, tagSize, int32Size', () => {
    fc.assert(
      fc.property(uint32, int32, fc.integer({ min: 1, max: 2 ** 29 - 1 }), (u, i, fieldNo) => {
        expect(varint32Size(u)).toBe(written((w) => w.uint32(u)).length);
        expect(int32Size(i)).toBe(written((w) => w.int32(i)).length);
        expect(tagSize(fieldNo)).toBe(written((w) => w.tag(fieldNo, 2)).length);
      }),
      { numRuns: 500 },
    );
  });

  test('int64Size, uint64Size', () => {
    fc.assert(
      fc.property(int64, uint64, (i, u) => {
        expect(int64Size(i)).toBe(written((w) => w.int64(i)).length);
        expect(uint64Size(u)).toBe(written((w) => w.uint64(u)).length);
      }),
      { numRuns: 500 },
    );
  });

  test('utf8ByteLength is the TextEncoder length (lone surrogates count as U+FFFD)', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(utf8ByteLength(value)).toBe(new TextEncoder().encode(value).length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('buffer management', () => {
  test('grows from any capacity and keeps earlier bytes', () => {
    fc.assert(
      fc.property(fc.nat(64), fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 20 }), (capacity, chunks) => {
        const expected = new BinaryWriter();
        for (const chunk of chunks) expected.bytes(chunk);
        expect(written((w) => chunks.forEach((c) => w.bytes(c)), capacity)).toStrictEqual(expected.finish());
      }),
    );
  });

  test('finish hands over an exactly filled buffer without copying, and trims otherwise', () => {
    const exact = new WireWriter(3);
    exact.uint32(300);
    exact.bool(true);
    const out = exact.finish();
    expect([...out]).toEqual([0xac, 0x02, 0x01]);
    expect(out.buffer.byteLength).toBe(3);

    const roomy = new WireWriter(100);
    roomy.uint32(1);
    const trimmed = roomy.finish();
    expect(trimmed.length).toBe(1);
    expect(trimmed.buffer.byteLength).toBe(1);
  });

  test('finish resets the writer', () => {
    const writer = new WireWriter(4);
    writer.uint32(5);
    writer.finish();
    expect(writer.length).toBe(0);
    writer.uint32(6);
    expect([...writer.finish()]).toEqual([6]);
    expect(new WireWriter(8).finish()).toStrictEqual(new Uint8Array(0));
  });
});

describe('invalid values are rejected like toBinary rejects them', () => {
  test.each([
    ['uint32 -1', (w: WireWriter) => w.uint32(-1), RangeError],
    ['uint32 2^32', (w: WireWriter) => w.uint32(2 ** 32), RangeError],
    ['uint32 1.5', (w: WireWriter) => w.uint32(1.5), RangeError],
    ['uint32 string', (w: WireWriter) => w.uint32('1' as unknown as number), TypeError],
    ['int32 2^31', (w: WireWriter) => w.int32(2 ** 31), RangeError],
    ['int32 NaN', (w: WireWriter) => w.int32(Number.NaN), RangeError],
    ['fixed32 -1', (w: WireWriter) => w.fixed32(-1), RangeError],
    ['int64 2^63', (w: WireWriter) => w.int64(2n ** 63n), RangeError],
    ['int64 below -2^63', (w: WireWriter) => w.int64(-(2n ** 63n) - 1n), RangeError],
    ['int64 number', (w: WireWriter) => w.int64(5 as unknown as bigint), TypeError],
    ['uint64 -1', (w: WireWriter) => w.uint64(-1n), RangeError],
    ['uint64 2^64', (w: WireWriter) => w.uint64(2n ** 64n), RangeError],
    ['uint64 string', (w: WireWriter) => w.uint64('5' as unknown as bigint), TypeError],
    ['bool number', (w: WireWriter) => w.bool(1 as unknown as boolean), TypeError],
    ['bytes string', (w: WireWriter) => w.bytes('ab' as unknown as Uint8Array), TypeError],
    ['string number', (w: WireWriter) => w.string(5 as unknown as string), TypeError],
    ['utf8Field with a wrong length', (w: WireWriter) => w.utf8Field('héllo', 5), RangeError],
  ] as const)('%s', (_name, write, error) => {
    expect(() => write(new WireWriter())).toThrow(error);
  });

  test('size helpers reject what the writer rejects', () => {
    expect(() => int64Size(2n ** 63n)).toThrow(RangeError);
    expect(() => uint64Size(-1n)).toThrow(RangeError);
    expect(() => int32Size(0.5)).toThrow(RangeError);
    expect(() => int64Size(1 as unknown as bigint)).toThrow(TypeError);
  });
});
