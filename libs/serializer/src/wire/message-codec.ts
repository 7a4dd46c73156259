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

/** Reads the value of one field, whose tag was just read, into `message` (a repeated field appends). */
export type FieldReader<T> = (reader: WireReader, message: T) => void;

/**
 * The readers of some fields of a message, keyed by whole tag, `fieldNo << 3 | wireType`
 * (see `lenTag` and friends in wire-type.ts): the key also declares the field's wire type.
 */
export type FieldReaders<T> = Readonly<Record<number, FieldReader<T>>>;

/**
 * Some fields of a message, each listed once to read and once to write: all of them, or
 * a group several messages share (spread its `readers`, call its `writeFields`).
 */
export interface FieldGroup<T> {
  readonly readers: FieldReaders<T>;
  /** Hands every field of the group, in field-number order, to `sink`. */
  writeFields(sink: FieldSink, message: T): void;
}

/** What a message's codec is made of (see {@link messageCodec}): its name, defaults and fields. */
export interface MessageSpec<T> extends FieldGroup<T> {
  /** Fully qualified protobuf name, for error messages. */
  readonly typeName: string;
  /** A new message with every field at its proto3 default; message fields absent. */
  create(): T;
}

/**
 * Everything the wire codec knows about one message type, built by {@link messageCodec}
 * from a {@link MessageSpec}. The loops live here ({@link readMessage}) and in
 * message-encoder.ts; a codec only lists its fields.
 */
export interface MessageCodec<T> {
  /** Fully qualified protobuf name, for error messages. */
  readonly typeName: string;
  /** Index: field number; value: its wire type, or {@link UNKNOWN_FIELD}. Consulted by {@link otherField}. */
  readonly wireTypes: Uint8Array;
  /**
   * Index: whole tag; value: the reader of that field. A known field with an unexpected
   * wire type has another tag, so it finds no reader and lands in {@link otherField},
   * which rejects it: the wire type check is free for valid input.
   */
  readonly readers: readonly (FieldReader<T> | undefined)[];
  /** A new message with every field at its proto3 default; message fields absent. */
  create(): T;
  /** Hands every field, in field-number order, to `sink`. */
  writeFields(sink: FieldSink, message: T): void;
}

/** Builds the codec of a message: its wire type table and reader table come from the tags of `spec.readers`. */
export function messageCodec<T>(spec: MessageSpec<T>): MessageCodec<T> {
  const tags = Object.keys(spec.readers).map(Number);
  const wireTypes = new Uint8Array(Math.max(0, ...tags.map((tag) => tag >>> 3)) + 1).fill(UNKNOWN_FIELD);
  for (const tag of tags) {
    if (wireTypes[tag >>> 3] !== UNKNOWN_FIELD) throw new Error(`${spec.typeName} field ${tag >>> 3} is listed twice`);
    wireTypes[tag >>> 3] = tag & 7;
  }
  // Dense and packed (absent tags hold undefined), so finding a field's reader is one indexed load.
  const readers = Array.from({ length: Math.max(0, ...tags) + 1 }, (_, tag) => spec.readers[tag]);
  return { typeName: spec.typeName, wireTypes, readers, create: spec.create, writeFields: spec.writeFields };
}

/**
 * Reads fields into `message` up to `reader.limit`, each by its reader; a tag without
 * one goes to {@link otherField}.
 */
function readFields<T>(reader: WireReader, codec: MessageCodec<T>, message: T): void {
  const readers = codec.readers;
  while (reader.pos < reader.limit) {
    const tag = reader.tag();
    const read = readers[tag];
    if (read !== undefined) read(reader, message);
    else otherField(reader, codec, tag);
  }
}

/**
 * Handles a tag without a reader: a field the message does not define is skipped
 * (forward compatibility); a defined field with another wire type is corrupt (protobuf-es
 * would misread it).
 */
function otherField<T>(reader: WireReader, codec: MessageCodec<T>, tag: number): void {
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
  readFields(reader, codec, message);
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
  readFields(new WireReader(bytes, what, offset, end), codec, message);
  return message;
}
