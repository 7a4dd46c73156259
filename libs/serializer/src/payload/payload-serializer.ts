import type { Payload } from '@flunq/proto-types';
import { compressPayload, decompressPayload } from '../codecs/payload-codec.js';
import { defaultCompressionOptions, type CompressionOptions } from '../codecs/compression.js';
import { DEFAULT_SIZE_LIMITS, type LimitKind, type SizeLimits } from '../limits/size-limits.js';
import { jsonToPayload, payloadToJson } from './json-payload.js';
import type { Redactor } from '../redaction/redaction.js';

/** Options of {@link createPayloadSerializer}; every field has a documented default. */
export interface PayloadSerializerOptions {
  readonly compression?: Partial<CompressionOptions>;
  readonly limits?: SizeLimits;
  /** Secrets policy: covered fields are redacted before storage (and unsealed on read with its key). Default: none. */
  readonly redactor?: Redactor;
}

/** JSON values to stored Payloads and back: validation, limits, compression, checksums. */
export interface PayloadSerializer {
  readonly compression: CompressionOptions;
  readonly limits: SizeLimits;
  readonly redactor?: Redactor;
  /** Validates, checks the limit of `limit` (before anything is written), compresses over the threshold. */
  toPayload(value: unknown, options?: { path?: string; limit?: LimitKind; validate?: boolean }): Payload;
  /**
   * Decompresses (capped), verifies size and checksum, parses, unseals redacted values it has
   * the key for (not with `reveal: false`: views). An absent payload reads as null.
   */
  fromPayload(payload: Payload | undefined, what?: string, options?: { readonly reveal?: boolean }): unknown;
}

/** Creates the serializer used by the store, the worker and io-api. */
export function createPayloadSerializer(options: PayloadSerializerOptions = {}): PayloadSerializer {
  const compression: CompressionOptions = { ...defaultCompressionOptions(), ...options.compression };
  const limits = options.limits ?? DEFAULT_SIZE_LIMITS;
  const { redactor } = options;
  return {
    compression,
    limits,
    ...(redactor ? { redactor } : {}),
    toPayload(value, at = {}) {
      return compressPayload(jsonToPayload(redactor ? redactor.redact(value) : value, { ...at, limits }), compression);
    },
    fromPayload(payload, what, options = {}) {
      if (payload === undefined) return null;
      const value = payloadToJson(decompressPayload(payload, compression), what);
      return redactor && options.reveal !== false ? redactor.reveal(value) : value;
    },
  };
}
