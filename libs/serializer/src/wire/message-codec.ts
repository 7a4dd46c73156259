import { CorruptedDataError } from '../errors/errors.js';
import { WireReader } from './wire-reader.js';
import { UINT32_MAX, WIRE_FIXED32, WIRE_LEN, WIRE_VARINT } from './wire-type.js';
import { int32Size, int64Size, tagSize, uint64Size, utf8ByteLength, varint32Size, WireWriter } from './wire-writer.js';

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
 * Everything the wire codec knows about one message type: a table of the wire type of
 * each field number (drives {@link nextField}), a factory for a message holding proto3
 * defaults (what `fromBinary` returns for absent fields), a reader of its fields and the
 * ordered field list for encoding.
 */
export interface MessageCodec<T> {
  /** Fully qualified protobuf name, for error messages. */
  readonly typeName: string;
  /** Index: field number; value: its wire type, or {@link UNKNOWN_FIELD}. */
  readonly wireTypes: Uint8Array;
  create(): T;
  /**
   * Reads fields into `message` up to `reader.limit`: a `switch` over the field numbers
   * {@link nextField} returns. One call per message, and `nextField` inlines into it.
   */
  read(reader: WireReader, message: T): void;
  writeFields(sink: FieldSink, message: T): void;
}

/** Builds a {@link MessageCodec.wireTypes} table from `{ fieldNo: wireType }`. */
export function wireTypeTable(fields: Record<number, number>): Uint8Array {
  const numbers = Object.keys(fields).map(Number);
  const table = new Uint8Array(Math.max(...numbers) + 1).fill(UNKNOWN_FIELD);
  for (const fieldNo of numbers) table[fieldNo] = fields[fieldNo] ?? UNKNOWN_FIELD;
  return table;
}

/**
 * Advances to the next known field of the message `codec` describes and returns its
 * number, or 0 at the end of the message. Unknown fields are skipped (forward
 * compatibility); a known field with another wire type is corrupt (protobuf-es would
 * misread it), as are the wire types and field number 0 that {@link WireReader.skip} rejects.
 */
export function nextField(reader: WireReader, codec: MessageCodec<unknown>): number {
  const wireTypes = codec.wireTypes;
  while (reader.pos < reader.limit) {
    const tag = reader.tag();
    const fieldNo = tag >>> 3;
    const expected = wireTypes[fieldNo] ?? UNKNOWN_FIELD;
    if (expected === (tag & 7)) return fieldNo;
    if (expected !== UNKNOWN_FIELD) reader.fail(`${codec.typeName} field ${fieldNo} has wire type ${tag & 7}, expected ${expected}`);
    reader.skip(tag);
  }
  return 0;
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

/** Measures a message: total size, plus the size of every embedded message and string in visit order. */
class SizeSink implements FieldSink {
  size = 0;
  readonly lengths: number[] = [];

  string(fieldNo: number, value: string): void {
    if (value !== '') this.repeatedString(fieldNo, value);
  }
  repeatedString(fieldNo: number, value: string): void {
    if (typeof value !== 'string') throw new TypeError(`invalid string in field ${fieldNo}: ${typeof value}`);
    const length = utf8ByteLength(value);
    this.lengths.push(length);
    this.size += tagSize(fieldNo) + varint32Size(length) + length;
  }
  bytes(fieldNo: number, value: Uint8Array): void {
    if (value.length !== 0) this.size += tagSize(fieldNo) + varint32Size(value.length) + value.length;
  }
  uint32(fieldNo: number, value: number): void {
    if (value !== 0) this.size += tagSize(fieldNo) + varint32Size(value);
  }
  int32(fieldNo: number, value: number): void {
    if (value !== 0) this.size += tagSize(fieldNo) + int32Size(value);
  }
  fixed32(fieldNo: number, value: number): void {
    if (value !== 0) this.size += tagSize(fieldNo) + 4;
  }
  bool(fieldNo: number, value: boolean): void {
    if (value !== false) this.size += tagSize(fieldNo) + 1;
  }
  int64(fieldNo: number, value: bigint): void {
    if (value !== 0n) this.size += tagSize(fieldNo) + int64Size(value);
  }
  uint64(fieldNo: number, value: bigint): void {
    if (value !== 0n) this.size += tagSize(fieldNo) + uint64Size(value);
  }
  message<M>(fieldNo: number, value: M | undefined, codec: MessageCodec<M>): void {
    if (value === undefined) return;
    const slot = this.lengths.push(0) - 1;
    const outer = this.size;
    this.size = 0;
    codec.writeFields(this, value);
    const inner = this.size;
    if (inner > UINT32_MAX) throw new RangeError(`${codec.typeName} is ${inner} bytes, over the protobuf limit`);
    this.lengths[slot] = inner;
    this.size = outer + tagSize(fieldNo) + varint32Size(inner) + inner;
  }
}

/** Writes a message measured by {@link SizeSink}, taking lengths from its list in the same visit order. */
class ByteSink implements FieldSink {
  private next = 0;

  constructor(
    private readonly writer: WireWriter,
    private readonly lengths: readonly number[],
  ) {}

  string(fieldNo: number, value: string): void {
    if (value !== '') this.repeatedString(fieldNo, value);
  }
  repeatedString(fieldNo: number, value: string): void {
    this.writer.tag(fieldNo, WIRE_LEN);
    this.writer.utf8Field(value, this.lengths[this.next++] ?? -1);
  }
  bytes(fieldNo: number, value: Uint8Array): void {
    if (value.length === 0) return;
    this.writer.tag(fieldNo, WIRE_LEN);
    this.writer.bytes(value);
  }
  uint32(fieldNo: number, value: number): void {
    if (value === 0) return;
    this.writer.tag(fieldNo, WIRE_VARINT);
    this.writer.uint32(value);
  }
  int32(fieldNo: number, value: number): void {
    if (value === 0) return;
    this.writer.tag(fieldNo, WIRE_VARINT);
    this.writer.int32(value);
  }
  fixed32(fieldNo: number, value: number): void {
    if (value === 0) return;
    this.writer.tag(fieldNo, WIRE_FIXED32);
    this.writer.fixed32(value);
  }
  bool(fieldNo: number, value: boolean): void {
    if (value === false) return;
    this.writer.tag(fieldNo, WIRE_VARINT);
    this.writer.bool(value);
  }
  int64(fieldNo: number, value: bigint): void {
    if (value === 0n) return;
    this.writer.tag(fieldNo, WIRE_VARINT);
    this.writer.int64(value);
  }
  uint64(fieldNo: number, value: bigint): void {
    if (value === 0n) return;
    this.writer.tag(fieldNo, WIRE_VARINT);
    this.writer.uint64(value);
  }
  message<M>(fieldNo: number, value: M | undefined, codec: MessageCodec<M>): void {
    if (value === undefined) return;
    const length = this.lengths[this.next++] ?? -1;
    this.writer.tag(fieldNo, WIRE_LEN);
    this.writer.uint32(length);
    const start = this.writer.length;
    codec.writeFields(this, value);
    if (this.writer.length - start !== length) throw new RangeError(`${codec.typeName} changed while being encoded`);
  }
}

/**
 * Encodes a message exactly as protobuf-es `toBinary` does (field-number order, proto3
 * defaults omitted, unknown fields not written). Two passes: the size pass measures every
 * string and embedded message once, so the write pass allocates the exact output once,
 * never grows, never back-patches and returns that buffer without a copy.
 */
export function encodeMessage<T>(codec: MessageCodec<T>, message: T): Uint8Array {
  const sizer = new SizeSink();
  codec.writeFields(sizer, message);
  const writer = new WireWriter(sizer.size);
  codec.writeFields(new ByteSink(writer, sizer.lengths), message);
  if (writer.length !== sizer.size) throw new RangeError(`${codec.typeName} changed while being encoded`);
  return writer.finish();
}
