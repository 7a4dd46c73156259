import { CompressionCodec, type Payload } from '@flunq/proto-types';
import { CorruptedDataError } from '../errors/errors.js';
import { compressBytes, decompressBytes, defaultCompressionOptions, type CompressionOptions } from './compression.js';

/**
 * Transforms payloads on their way to and from storage. Works on arrays and is async so
 * that codecs which need I/O (encryption keys, remote blobs) fit the same shape; decode
 * undoes encode. Encoding an already-encoded payload is a no-op, never double encoding.
 */
export interface PayloadCodec {
  encode(payloads: readonly Payload[]): Promise<Payload[]>;
  decode(payloads: readonly Payload[]): Promise<Payload[]>;
}

/**
 * Compresses one payload's bytes when worthwhile. Sync form of the compression codec,
 * for hot paths that already run inside an async step.
 */
export function compressPayload(payload: Payload, options: CompressionOptions): Payload {
  if (payload.compression !== CompressionCodec.UNSPECIFIED || payload.claimCheck) return payload;
  const { codec, data } = compressBytes(payload.data, options);
  if (codec === CompressionCodec.UNSPECIFIED) return payload;
  return { ...payload, compression: codec, data };
}

/**
 * Undoes {@link compressPayload}, refusing to inflate past `maxDecompressedBytes`.
 * @throws CorruptedDataError for a payload whose bytes are behind a claim check (the store resolves those when reading)
 */
export function decompressPayload(payload: Payload, options: Pick<CompressionOptions, 'maxDecompressedBytes'>): Payload {
  if (payload.claimCheck) throw new CorruptedDataError('payload', `bytes are behind a claim check (${payload.claimCheck.uri}): fetch them first`);
  if (payload.compression === CompressionCodec.UNSPECIFIED) return payload;
  const data = decompressBytes(payload.compression, payload.data, Number(payload.originalSize), options.maxDecompressedBytes);
  return { ...payload, compression: CompressionCodec.UNSPECIFIED, data };
}

/** The compression codec: compresses payloads over the threshold when that shrinks them. */
export function createCompressionCodec(options: Partial<CompressionOptions> = {}): PayloadCodec {
  const resolved: CompressionOptions = { ...defaultCompressionOptions(), ...options };
  return {
    encode: (payloads) => Promise.resolve(payloads.map((p) => compressPayload(p, resolved))),
    decode: (payloads) => Promise.resolve(payloads.map((p) => decompressPayload(p, resolved))),
  };
}
