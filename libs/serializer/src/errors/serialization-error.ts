/** Stable codes of every serialization failure; part of the public contract. */
export type SerializationErrorCode =
  | 'PAYLOAD_TOO_LARGE'
  | 'CIRCULAR_REFERENCE'
  | 'UNSUPPORTED_VALUE'
  | 'CORRUPTED_DATA'
  | 'UNKNOWN_ENCODING'
  | 'CODEC_UNAVAILABLE';

/**
 * Base class of all errors raised by `@flunq/serializer`. Each subclass is one failure
 * kind with a stable `code` and the domain fields needed to act on it; `cause` keeps the
 * underlying error for logs and stays off the wire.
 */
export abstract class SerializationError extends Error {
  abstract readonly code: SerializationErrorCode;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
