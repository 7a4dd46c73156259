import { CorruptedDataError } from '../errors/errors.js';
import { WireReader } from './wire-reader.js';

/** Marks a field number the message does not define in {@link MessageCodec.wireTypes}. */
export const UNKNOWN_FIELD = 0xff;

/**
 * Receives the fields of a message in field-number order. Implemented twice: once to
 * measure (size pass), once to write (write pass), so each message lists its fields once.
 * Scalar methods omit proto3 default values (`''`, empty bytes, `0`, `0n`, `false`), as
 * `toBinary` does; `repeatedString` and `message` write whatever they are given.
 */
export interface FieldSink {
  string(fieldNo: number, value: string): void;
  repeatedString(fieldNo: number, value: string): void;
  bytes(fieldNo: number, value: Uint8Array): void;
  uint32(fieldNo: number, value: number): void;
  int32(fieldNo: number, value: number): void;
  fixed32(fieldNo: number, value: number): void;
  bool(fieldNo: number, value: boolean): void;
  int64(fieldNo: number, value: bigint): void;
  uint64(fieldNo: number, value: bigint): void;
  message<M>(fieldNo: number, value: M | undefined, codec: MessageCodec<M>): void;
}

/**
 * Everything the wire codec knows about one message type: the wire type of each field
 * number, a factory for a message holding proto3 defaults (what `fromBinary` returns for
 * absent fields), a reader of its fields and the ordered field list for encoding. The
 * shared loops live here and in message-encoder.ts; a codec only lists its fields.
 */
export interface MessageCodec<T> {
  /** Fully qualified protobuf name, for error messages. */
  readonly typeName: string;
  /** Index: field number; value: its wire type, or {@link UNKNOWN_FIELD}. Consulted by {@link otherField}. */
  readonly wireTypes: Uint8Array;
  /** A new message with every field at its proto3 default; message fields absent. */
  create(): T;
  /**
   * Reads fields into `message` up to `reader.limit`: a loop over {@link nextTag} with a
   * `switch` on whole tags (`fieldNo << 3 | wireType`) and {@link otherField} as default.
   */
  read(reader: WireReader, message: T): void;
  /** Hands every field, in field-number order, to `sink`. */
  writeFields(sink: FieldSink, message: T): void;
}

/** Builds a {@link MessageCodec.wireTypes} table from `{ fieldNo: wireType }`. */
export function wireTypeTable(fields: Record<number, number>): Uint8Array {
  const numbers = Object.keys(fields).map(Number);
  const table = new Uint8Array(Math.max(...numbers) + 1).fill(UNKNOWN_FIELD);
  for (const fieldNo of numbers) table[fieldNo] = fields[fieldNo] ?? UNKNOWN_FIELD;
  return table;
}

/** The tag of the next field of the current message, or 0 at its end. */
export function nextTag(reader: WireReader): number {
  return reader.pos < reader.limit ? reader.tag() : 0;
}

/**
 * Handles a tag no `case` of the message's `switch` matched: a field the message does not
 * define is skipped (forward compatibility); a defined field with another wire type is
 * corrupt (protobuf-es would misread it).
 */
export function otherField(reader: WireReader, codec: MessageCodec<unknown>, tag: number): void {
  const fieldNo = tag >>> 3;
  const expected = codec.wireTypes[fieldNo] ?? UNKNOWN_FIELD;
  if (expected !== UNKNOWN_FIELD) reader.fail(`${codec.typeName} field ${fieldNo} has wire type ${tag & 7}, expected ${expected}`);
  reader.skip(tag);
}

/**
 * Reads an embedded (length-delimited) message. When the field was already seen, the new
 * occurrence is merged into `existing`, as protobuf requires and `fromBinary` does.
 */
export function readMessage<T>(reader: WireReader, codec: MessageCodec<T>, existing?: T): T {
  const outer = reader.enter();
  const message = existing ?? codec.create();
  codec.read(reader, message);
  reader.leave(outer);
  return message;
}

/**
 * Decodes a top-level message from `bytes[offset, offset + length)`. Throws
 * {@link CorruptedDataError} (mentioning `what`) for a region outside `bytes` or any
 * malformed content.
 */
export function decodeMessage<T>(codec: MessageCodec<T>, what: string, bytes: Uint8Array, offset: number, length: number): T {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`cannot decode ${what}: input is not a Uint8Array`);
  const end = offset + length;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || end > bytes.length) {
    throw new CorruptedDataError(what, `region at ${offset} of ${length} bytes lies outside the ${bytes.length} input bytes`);
  }
  const message = codec.create();
  codec.read(new WireReader(bytes, what, offset, end), message);
  return message;
}
