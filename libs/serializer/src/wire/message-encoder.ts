import type { FieldSink, MessageCodec } from './message-codec.js';
import { UINT32_MAX, WIRE_FIXED32, WIRE_LEN, WIRE_VARINT } from './wire-type.js';
import { int32Size, int64Size, tagSize, uint64Size, utf8ByteLength, varint32Size, WireWriter } from './wire-writer.js';

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
    this.tag(fieldNo, WIRE_LEN).utf8Field(value, this.lengths[this.next++] ?? -1);
  }
  bytes(fieldNo: number, value: Uint8Array): void {
    if (value.length !== 0) this.tag(fieldNo, WIRE_LEN).bytes(value);
  }
  uint32(fieldNo: number, value: number): void {
    if (value !== 0) this.tag(fieldNo, WIRE_VARINT).uint32(value);
  }
  int32(fieldNo: number, value: number): void {
    if (value !== 0) this.tag(fieldNo, WIRE_VARINT).int32(value);
  }
  fixed32(fieldNo: number, value: number): void {
    if (value !== 0) this.tag(fieldNo, WIRE_FIXED32).fixed32(value);
  }
  bool(fieldNo: number, value: boolean): void {
    if (value !== false) this.tag(fieldNo, WIRE_VARINT).bool(value);
  }
  int64(fieldNo: number, value: bigint): void {
    if (value !== 0n) this.tag(fieldNo, WIRE_VARINT).int64(value);
  }
  uint64(fieldNo: number, value: bigint): void {
    if (value !== 0n) this.tag(fieldNo, WIRE_VARINT).uint64(value);
  }
  message<M>(fieldNo: number, value: M | undefined, codec: MessageCodec<M>): void {
    if (value === undefined) return;
    const length = this.lengths[this.next++] ?? -1;
    this.tag(fieldNo, WIRE_LEN).uint32(length);
    const start = this.writer.length;
    codec.writeFields(this, value);
    if (this.writer.length - start !== length) throw new RangeError(`${codec.typeName} changed while being encoded`);
  }

  /** Writes the tag of a field; returns the writer, to write its value. */
  private tag(fieldNo: number, wireType: number): WireWriter {
    this.writer.tag(fieldNo, wireType);
    return this.writer;
  }
}

/**
 * Encodes a message exactly as protobuf-es `toBinary` does (field-number order, proto3
 * defaults omitted, unknown fields not written). Two passes: the size pass measures every
 * string and embedded message once, so the write pass allocates the exact output once,
 * never grows, never back-patches and returns that buffer without a copy.
 */
export function encodeMessage<T>(codec: MessageCodec<T>, message: T, reserve = 0): Uint8Array {
  const sizer = new SizeSink();
  codec.writeFields(sizer, message);
  const writer = new WireWriter(reserve + sizer.size, reserve);
  codec.writeFields(new ByteSink(writer, sizer.lengths), message);
  if (writer.length !== reserve + sizer.size) throw new RangeError(`${codec.typeName} changed while being encoded`);
  return writer.finish();
}
