import { crc32 } from 'node:zlib';
import { CompressionCodec, PayloadEncoding, type Payload } from '@flunq/proto-types';
import { CorruptedDataError, UnknownEncodingError } from '../errors/errors.js';
import { fromJsonBytes, toJsonBytes } from '../json/json-bytes.js';
import { checkSize, DEFAULT_SIZE_LIMITS, type LimitKind, type SizeLimits } from '../limits/size-limits.js';

/** Options of {@link jsonToPayload}. */
export interface JsonToPayloadOptions {
  /** Where the value sits, for errors, e.g. `input` or `tasks.fetchUser.output`. Default `value`. */
  readonly path?: string;
  /** Which limit applies. Default `payload` (MAX_PAYLOAD_SIZE). */
  readonly limit?: LimitKind;
  /** Limits in force. Default {@link DEFAULT_SIZE_LIMITS}. */
  readonly limits?: SizeLimits;
  /** Check the value for non-JSON content first. Default true; false only for values from JSON.parse. */
  readonly validate?: boolean;
}

/** Wraps already-encoded bytes as an uncompressed Payload with size and CRC-32. */
export function bytesToPayload(data: Uint8Array, encoding: PayloadEncoding, messageType = ''): Payload {
  // A literal of the full message shape: `create()` is reflective and this is the hot path.
  return {
    $typeName: 'flunq.v1.Payload',
    encoding,
    compression: CompressionCodec.UNSPECIFIED,
    originalSize: BigInt(data.length),
    checksum: crc32(data),
    claimCheck: undefined,
    data,
    messageType,
  };
}

/**
 * Converts a JSON value to an uncompressed `json/plain` Payload, checking the size limit
 * before returning (so before anything can be written). Sync and pure: compression is the
 * codec's job.
 */
export function jsonToPayload(value: unknown, options: JsonToPayloadOptions = {}): Payload {
  const path = options.path ?? 'value';
  const data = toJsonBytes(value, { path, validate: options.validate ?? true });
  checkSize(data.length, options.limit ?? 'payload', path, options.limits ?? DEFAULT_SIZE_LIMITS);
  return bytesToPayload(data, PayloadEncoding.JSON_PLAIN);
}

/**
 * Verifies an uncompressed payload's declared size and CRC-32 against its bytes.
 * Throws {@link CorruptedDataError} on mismatch.
 */
export function verifyPayloadBytes(payload: Payload, data: Uint8Array, what = 'payload'): void {
  if (BigInt(data.length) !== payload.originalSize) {
    throw new CorruptedDataError(what, `has ${data.length} bytes, record says ${payload.originalSize}`);
  }
  if (payload.checksum !== 0 && crc32(data) !== payload.checksum) {
    throw new CorruptedDataError(what, 'checksum mismatch');
  }
}

/**
 * Reads the JSON value of an uncompressed `json/plain` payload, verifying size and
 * checksum. An absent payload reads as `null`.
 */
export function payloadToJson(payload: Payload | undefined, what = 'payload'): unknown {
  if (!payload) return null;
  if (payload.encoding !== PayloadEncoding.JSON_PLAIN) {
    throw new UnknownEncodingError('payload encoding for JSON', PayloadEncoding[payload.encoding] ?? payload.encoding);
  }
  if (payload.compression !== 0) throw new CorruptedDataError(what, 'still compressed: decode it with the codec first');
  if (payload.claimCheck) throw new CorruptedDataError(what, 'bytes are behind a claim check: fetch them first');
  verifyPayloadBytes(payload, payload.data, what);
  return fromJsonBytes(payload.data, what);
}
