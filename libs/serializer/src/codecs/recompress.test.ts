import { CompressionCodec, PayloadEncoding, type Payload } from '@flunq/proto-types';
import { describe, expect, test } from 'vitest';
import { CorruptedDataError } from '../errors/errors.js';
import { bytesToPayload, payloadToJson } from '../payload/json-payload.js';
import { defaultCompressionOptions, type CodecName, type CompressionOptions } from './compression.js';
import { compressPayload, decompressPayload } from './payload-codec.js';
import { isColdCompressed, recompressPayload } from './recompress.js';
import { zstdFrameHasChecksum } from './zstd.js';

const document = (n: number): unknown => ({ items: Array.from({ length: n }, (_, i) => ({ id: `ord-${(i * 7919).toString(36)}`, amount: (i * 37) % 1000, tags: ['alpha', i % 3 ? 'bravo' : 'echo'], at: new Date(1.7e12 + i * 3.6e6).toISOString() })) });
const hot = (value: unknown, codec: CodecName = 'zstd'): Payload =>
  compressPayload(bytesToPayload(Buffer.from(JSON.stringify(value)), PayloadEncoding.JSON_PLAIN), { ...defaultCompressionOptions(), codec });
const cold = (codec: CodecName, level: number, thresholdBytes = 1024): CompressionOptions => ({ ...defaultCompressionOptions(), codec, level, thresholdBytes });

describe('recompressPayload', () => {
  test.each([['brotli', 11, CompressionCodec.BROTLI, 'zstd'], ['zstd', 19, CompressionCodec.ZSTD, 'zstd'], ['deflate-raw', 9, CompressionCodec.DEFLATE_RAW, 'deflate-raw']] as const)(
    '%s %i shrinks a hot %s level 1 payload; the value, size and checksum stay; a second pass changes nothing',
    (codec, level, id, hotCodec) => {
      const value = document(400);
      const before = hot(value, hotCodec);
      expect(before.compression).not.toBe(CompressionCodec.UNSPECIFIED);
      const after = recompressPayload(before, cold(codec, level));
      expect(after.compression).toBe(id);
      expect(after.data.length).toBeLessThan(before.data.length);
      expect({ ...after, data: undefined, compression: undefined }).toEqual({ ...before, data: undefined, compression: undefined });
      expect(Buffer.compare(decompressPayload(after, { maxDecompressedBytes: 1 << 24 }).data, decompressPayload(before, { maxDecompressedBytes: 1 << 24 }).data)).toBe(0);
      expect(payloadToJson(decompressPayload(after, { maxDecompressedBytes: 1 << 24 }))).toEqual(value);
      expect(recompressPayload(after, cold(codec, level))).toBe(after);
      if (codec !== 'deflate-raw') expect(isColdCompressed(after, codec)).toBe(true);
    },
  );

  test('cold zstd frames carry the content checksum, hot ones do not', () => {
    const before = hot(document(400));
    expect(zstdFrameHasChecksum(before.data)).toBe(false);
    expect(isColdCompressed(before, 'zstd')).toBe(false);
    expect(zstdFrameHasChecksum(recompressPayload(before, cold('zstd', 19)).data)).toBe(true);
  });

  test('payloads under the threshold, behind a claim check, not shrinking, or with codec none are left as they are', () => {
    const small = hot(document(3));
    expect(recompressPayload(small, cold('brotli', 11))).toBe(small);
    const big = hot(document(200));
    expect(recompressPayload(big, cold('brotli', 11, big.data.length + 1))).toBe(big);
    expect(recompressPayload(big, cold('none', 0))).toBe(big);
    const claimed: Payload = { ...big, claimCheck: { $typeName: 'flunq.v1.ClaimCheck', uri: 's3://b/k', sha256: '' } as never };
    expect(recompressPayload(claimed, cold('brotli', 11))).toBe(claimed);
    const random = bytesToPayload(Uint8Array.from({ length: 4096 }, () => Math.floor(Math.random() * 256)), PayloadEncoding.JSON_PLAIN);
    expect(recompressPayload(random, cold('brotli', 11))).toBe(random);
  });

  test('an uncompressed payload over the threshold is compressed; stored bytes that fail their checksum are refused', () => {
    const plain = bytesToPayload(Buffer.from(JSON.stringify(document(50))), PayloadEncoding.JSON_PLAIN);
    expect(recompressPayload(plain, cold('brotli', 11)).compression).toBe(CompressionCodec.BROTLI);
    const data = Uint8Array.from(plain.data);
    data[10] = 0x20;
    expect(() => recompressPayload({ ...plain, data }, cold('brotli', 11))).toThrow(CorruptedDataError);
  });
});
