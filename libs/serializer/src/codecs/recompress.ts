import { CompressionCodec, type Payload } from '@flunq/proto-types';
import { CorruptedDataError } from '../errors/errors.js';
import { asUint8Array } from '../json/bytes.js';
import { verifyPayloadBytes } from '../payload/json-payload.js';
import { codecId, compressBytes, decompressBytes, type CompressionOptions } from './compression.js';
import { zstdCompress, zstdFrameHasChecksum } from './zstd.js';

/**
 * True when a payload is already stored the way cold compression with `codec` stores it, so
 * re-encoding it again would gain nothing: brotli payloads (the hot path writes zstd or
 * deflate-raw) and zstd frames that carry the content checksum (only cold frames do). Cheap:
 * looks at the codec marker and at most one header byte.
 */
export function isColdCompressed(payload: Payload, codec: CompressionOptions['codec']): boolean {
  if (codec === 'brotli') return payload.compression === CompressionCodec.BROTLI;
  if (codec === 'zstd') return payload.compression === CompressionCodec.ZSTD && zstdFrameHasChecksum(payload.data);
  // deflate-raw has no marker: it is tried again and kept only when smaller.
  return false;
}

function compressCold(data: Uint8Array, options: CompressionOptions): Uint8Array | undefined {
  if (options.codec === 'zstd') return asUint8Array(zstdCompress(data, options.level, true));
  const out = compressBytes(data, { ...options, thresholdBytes: 0 });
  return out.codec === CompressionCodec.UNSPECIFIED ? undefined : out.data;
}

/**
 * Re-encodes one stored payload with a stronger setting (cold compression): its bytes are
 * decompressed (capped by `maxDecompressedBytes`), checked against the declared size and
 * CRC-32, compressed with `options.codec` at `options.level` and verified to decompress back
 * to the very same bytes. Size, checksum, encoding and message type stay as they were, so the
 * value read back is byte-identical.
 *
 * Returns the same object (nothing to gain) when the payload is behind a claim check, is
 * stored in fewer than `options.thresholdBytes` bytes, is already cold-compressed (see
 * {@link isColdCompressed}), or when the stronger encoding is not smaller than what is stored.
 *
 * @throws CorruptedDataError when the stored bytes do not match their size or checksum.
 */
export function recompressPayload(payload: Payload, options: CompressionOptions): Payload {
  if (options.codec === 'none' || payload.claimCheck || payload.data.length < options.thresholdBytes) return payload;
  if (isColdCompressed(payload, options.codec)) return payload;
  const plain = payload.compression === CompressionCodec.UNSPECIFIED
    ? payload.data
    : decompressBytes(payload.compression, payload.data, Number(payload.originalSize), options.maxDecompressedBytes);
  verifyPayloadBytes(payload, plain, 'payload to recompress');
  const compressed = compressCold(plain, options);
  if (!compressed || compressed.length >= payload.data.length) return payload;
  const compression = codecId(options.codec);
  const back = decompressBytes(compression, compressed, plain.length, options.maxDecompressedBytes);
  if (Buffer.compare(back, plain) !== 0) throw new CorruptedDataError('recompressed payload', 'does not decompress to the original bytes');
  return { ...payload, compression, data: compressed };
}
