import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CompressionCodec } from '@flunq/proto-types';
import { CorruptedDataError, PayloadTooLargeError } from '../errors/errors.js';
import { SerializationError } from '../errors/serialization-error.js';
import { compressBytes, decompressBytes, defaultCompressionOptions, type CodecName } from './compression.js';
import { zstdAvailable } from './zstd.js';

const json = (n: number): Uint8Array =>
  Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: `user-${i}`, score: i * 3, active: i % 2 === 0 }))));

const codecs: CodecName[] = ['zstd', 'deflate-raw', 'brotli'];

describe('compression', () => {
  test('zstd loads here and is the default', () => {
    expect(zstdAvailable()).toBe(true);
    expect(defaultCompressionOptions()).toMatchObject({ codec: 'zstd', level: 1, thresholdBytes: 1024 });
  });

  test.each(codecs)('%s round-trips and shrinks JSON over the threshold', (codec) => {
    const options = { ...defaultCompressionOptions(), codec };
    const data = json(200);
    const out = compressBytes(data, options);
    expect(out.codec).not.toBe(CompressionCodec.UNSPECIFIED);
    expect(out.data.length).toBeLessThan(data.length / 2);
    expect(Buffer.compare(decompressBytes(out.codec, out.data, data.length, 1 << 20), data)).toBe(0);
  });

  test('small payloads and incompressible data stay uncompressed', () => {
    const options = defaultCompressionOptions();
    expect(compressBytes(json(3), options).codec).toBe(CompressionCodec.UNSPECIFIED);
    const random = Uint8Array.from({ length: 4096 }, () => Math.floor(Math.random() * 256));
    expect(compressBytes(random, options)).toEqual({ codec: CompressionCodec.UNSPECIFIED, data: random });
  });

  test.each(codecs)('%s round-trips arbitrary bytes', (codec) => {
    const options = { ...defaultCompressionOptions(), codec, thresholdBytes: 0 };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => {
        const out = compressBytes(data, options);
        expect(Buffer.compare(decompressBytes(out.codec, out.data, data.length, 1 << 20), data)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  test.each(codecs)('%s refuses to inflate past the cap (decompression bomb)', (codec) => {
    const bomb = new Uint8Array(4 << 20);
    const out = compressBytes(bomb, { ...defaultCompressionOptions(), codec });
    expect(() => decompressBytes(out.codec, out.data, bomb.length, 1 << 20)).toThrow(PayloadTooLargeError);
    // A record lying about its size is caught too.
    expect(() => decompressBytes(out.codec, out.data, 1000, 1 << 20)).toThrow(CorruptedDataError);
  });

  test.each(codecs)('%s: random, truncated or flipped bytes only ever give typed errors', (codec) => {
    const data = json(100);
    const out = compressBytes(data, { ...defaultCompressionOptions(), codec });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat({ max: out.data.length }), fc.nat(), (junk, cut, flip) => {
        const flipped = Uint8Array.from(out.data);
        flipped[flip % flipped.length] = (flipped[flip % flipped.length] ?? 0) ^ 0x5a;
        for (const input of [junk, out.data.subarray(0, cut), flipped]) {
          try {
            decompressBytes(out.codec, input, data.length, 1 << 20);
          } catch (error) {
            expect(error).toBeInstanceOf(SerializationError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
