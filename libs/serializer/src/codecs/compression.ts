import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { CompressionCodec } from '@flunq/proto-types';
import { CorruptedDataError, PayloadTooLargeError, UnknownEncodingError } from '../errors/errors.js';
import { asUint8Array } from '../json/bytes.js';
import { zstdAvailable, zstdCompress, zstdDecompress, zstdFrameContentSize } from './zstd.js';

/** Names of the compression codecs, as used in configuration. */
export type CodecName = 'zstd' | 'deflate-raw' | 'brotli' | 'none';

/** How payloads are compressed. */
export interface CompressionOptions {
  /** Codec for new payloads. Default: `zstd` when its native module loads, else `deflate-raw`. */
  readonly codec: CodecName;
  /** Codec level; default 1 (fast, for the hot path). Cold compression uses higher levels. */
  readonly level: number;
  /** Payloads smaller than this many bytes are stored uncompressed. Default 1024. */
  readonly thresholdBytes: number;
  /** Refuse to inflate anything larger than this. Default 64 MiB. */
  readonly maxDecompressedBytes: number;
}

/** Defaults: zstd level 1 over 1 KiB (chosen by measurement, see docs/benchmarks.md). */
export function defaultCompressionOptions(): CompressionOptions {
  return {
    codec: zstdAvailable() ? 'zstd' : 'deflate-raw',
    level: 1,
    thresholdBytes: 1024,
    maxDecompressedBytes: 64 * 1024 * 1024,
  };
}

const CODEC_IDS: Record<Exclude<CodecName, 'none'>, CompressionCodec> = {
  zstd: CompressionCodec.ZSTD,
  'deflate-raw': CompressionCodec.DEFLATE_RAW,
  brotli: CompressionCodec.BROTLI,
};

/** Maps a configuration name to the codec id stored in a Payload. */
export function codecId(name: CodecName): CompressionCodec {
  return name === 'none' ? CompressionCodec.UNSPECIFIED : CODEC_IDS[name];
}

function compressWith(codec: Exclude<CodecName, 'none'>, data: Uint8Array, level: number): Uint8Array {
  switch (codec) {
    case 'zstd':
      return zstdCompress(data, level);
    case 'deflate-raw':
      return deflateRawSync(data, { level: Math.min(Math.max(level, 0), 9) });
    case 'brotli':
      return brotliCompressSync(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: Math.min(Math.max(level, 0), 11),
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      });
  }
}

/**
 * Compresses `data` when it is at least the threshold and compression actually shrinks
 * it; otherwise returns it unchanged with codec UNSPECIFIED (meaning: not compressed).
 */
export function compressBytes(
  data: Uint8Array,
  options: CompressionOptions,
): { codec: CompressionCodec; data: Uint8Array } {
  if (options.codec === 'none' || data.length < options.thresholdBytes) {
    return { codec: CompressionCodec.UNSPECIFIED, data };
  }
  const compressed = compressWith(options.codec, data, options.level);
  if (compressed.length >= data.length) return { codec: CompressionCodec.UNSPECIFIED, data };
  return { codec: CODEC_IDS[options.codec], data: asUint8Array(compressed) };
}

function inflateZlib(what: string, run: () => Uint8Array): Uint8Array {
  try {
    return run();
  } catch (error) {
    throw new CorruptedDataError(what, 'cannot be decompressed', { cause: error });
  }
}

/**
 * Undoes {@link compressBytes}. `originalSize` is the size the record declares; inflating
 * stops at `maxDecompressedBytes` and the result must be exactly `originalSize` bytes.
 */
export function decompressBytes(
  codec: CompressionCodec,
  data: Uint8Array,
  originalSize: number,
  maxDecompressedBytes: number,
): Uint8Array {
  if (codec === CompressionCodec.UNSPECIFIED) return data;
  if (originalSize > maxDecompressedBytes) {
    throw new PayloadTooLargeError('compressed payload', originalSize, maxDecompressedBytes, 'maxDecompressedBytes');
  }
  const cap = { maxOutputLength: Math.max(originalSize, 1) };
  let out: Uint8Array;
  switch (codec) {
    case CompressionCodec.ZSTD: {
      const declared = zstdFrameContentSize(data);
      if (declared !== originalSize) {
        throw new CorruptedDataError('zstd frame', `declares ${declared ?? 'no'} bytes, record says ${originalSize}`);
      }
      out = zstdDecompress(data);
      break;
    }
    case CompressionCodec.DEFLATE_RAW:
      out = inflateZlib('deflate-raw stream', () => inflateRawSync(data, cap));
      break;
    case CompressionCodec.BROTLI:
      out = inflateZlib('brotli stream', () => brotliDecompressSync(data, cap));
      break;
    default:
      throw new UnknownEncodingError('compression codec', codec);
  }
  if (out.length !== originalSize) {
    throw new CorruptedDataError('payload', `decompressed to ${out.length} bytes, record says ${originalSize}`);
  }
  return asUint8Array(out);
}
