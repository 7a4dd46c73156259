/**
 * `@flunq/serializer`: how flunq-io turns workflow data into stored bytes and back.
 *
 * - converters (sync, pure): JSON value <-> `json/plain` Payload, with typed errors for data
 *   JSON cannot carry and size limits checked before anything is written;
 * - codecs: compression over a threshold (zstd by default), capped on the way back;
 * - envelopes: the self-describing binary format of states and events, which also reads the
 *   original system's JSON.
 */
export { SerializationError, type SerializationErrorCode } from './errors/serialization-error.js';
export {
  CircularReferenceError,
  CodecUnavailableError,
  CorruptedDataError,
  PayloadTooLargeError,
  UnknownEncodingError,
  UnsupportedValueError,
  formatBytes,
} from './errors/errors.js';
export { assertJsonValue, fromJsonBytes, toJsonBytes } from './json/json-bytes.js';
export { asUint8Array } from './json/bytes.js';
export { parseByteSize, parseDuration } from './limits/byte-size.js';
export { checkSize, DEFAULT_SIZE_LIMITS } from './limits/size-limits.js';
export type { LimitKind, SizeLimits } from './limits/size-limits.js';
export {
  codecId,
  compressBytes,
  decompressBytes,
  defaultCompressionOptions,
} from './codecs/compression.js';
export type { CodecName, CompressionOptions } from './codecs/compression.js';
export { compressPayload, createCompressionCodec, decompressPayload } from './codecs/payload-codec.js';
export type { PayloadCodec } from './codecs/payload-codec.js';
export { zstdAvailable } from './codecs/zstd.js';
export { bytesToPayload, jsonToPayload, payloadToJson, verifyPayloadBytes } from './payload/json-payload.js';
export type { JsonToPayloadOptions } from './payload/json-payload.js';
export { createPayloadSerializer } from './payload/payload-serializer.js';
export { messageToPayload, payloadToMessage } from './payload/message-payload.js';
export type { PayloadSerializer, PayloadSerializerOptions } from './payload/payload-serializer.js';
export {
  ENVELOPE_FORMAT_VERSION,
  EnvelopeKind,
  detectFormat,
  readStateVersion,
} from './envelope/envelope-header.js';
export type { RecordFormat } from './envelope/envelope-header.js';
export {
  decodeEventEnvelope,
  decodeStateEnvelope,
  encodeEventEnvelope,
  encodeStateEnvelope,
} from './envelope/record-envelope.js';
export { decodeLegacyState, legacyStateFromJson, legacyStatus } from './legacy/legacy-state.js';
export { legacyEventFromFields } from './legacy/legacy-event.js';
export { concealRedacted, DEFAULT_REDACTED_FIELDS, isRedactedMarker, REDACTED_TEXT, Redactor, SealedValueError } from './redaction/redaction.js';
export type { RedactedMarker } from './redaction/redaction.js';
/** Cold compression (issue #7): re-encodes a stored payload with a stronger codec/level, byte-identical once decoded. */
export { isColdCompressed, recompressPayload } from './codecs/recompress.js';
export { claimCheckPayload, claimCheckUri, claimedSha256, DEFAULT_CLAIM_CHECK_BYTES, resolveClaimCheck } from './codecs/claim-check.js';
export type { ClaimedBlob } from './codecs/claim-check.js';
