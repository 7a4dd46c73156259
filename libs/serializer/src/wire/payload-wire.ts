import type { ClaimCheck, Payload } from '@flunq/proto-types';
import { nextTag, otherField, readMessage, wireTypeTable, type MessageCodec } from './message-codec.js';
import { WIRE_FIXED32, WIRE_LEN, WIRE_VARINT } from './wire-type.js';

/**
 * Default of absent `bytes` fields. Shared: a zero-length view has no elements to
 * mutate, and decoding must not allocate for fields that are not there.
 */
export const EMPTY_BYTES = new Uint8Array(0);

/*
 * Every `read` below loops over tags and switches on the whole tag, `fieldNo << 3 |
 * wireType`: a known field with an unexpected wire type matches no case and lands in
 * `otherField`, which rejects it. The wire type check is thus free for valid input.
 */

/** Wire codec of `flunq.v1.ClaimCheck` (proto/flunq/v1/payload.proto). */
export const claimCheckCodec: MessageCodec<ClaimCheck> = {
  typeName: 'flunq.v1.ClaimCheck',
  wireTypes: wireTypeTable({ 1: WIRE_LEN, 2: WIRE_LEN, 3: WIRE_VARINT }),
  create: () => ({ $typeName: 'flunq.v1.ClaimCheck', uri: '', sha256: EMPTY_BYTES, storedSize: 0n }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          message.uri = reader.string();
          break;
        case (2 << 3) | WIRE_LEN:
          message.sha256 = reader.bytes();
          break;
        case (3 << 3) | WIRE_VARINT:
          message.storedSize = reader.uint64();
          break;
        default:
          otherField(reader, claimCheckCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.uri);
    sink.bytes(2, message.sha256);
    sink.uint64(3, message.storedSize);
  },
};

/**
 * Wire codec of `flunq.v1.Payload`. `data` decodes to a view of the input: the payload
 * bytes are neither copied nor decompressed nor parsed.
 */
export const payloadCodec: MessageCodec<Payload> = {
  typeName: 'flunq.v1.Payload',
  wireTypes: wireTypeTable({
    1: WIRE_VARINT,
    2: WIRE_VARINT,
    3: WIRE_VARINT,
    4: WIRE_FIXED32,
    5: WIRE_LEN,
    6: WIRE_LEN,
    7: WIRE_LEN,
  }),
  create: () => ({
    $typeName: 'flunq.v1.Payload',
    encoding: 0,
    compression: 0,
    originalSize: 0n,
    checksum: 0,
    data: EMPTY_BYTES,
    messageType: '',
  }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_VARINT:
          message.encoding = reader.int32();
          break;
        case (2 << 3) | WIRE_VARINT:
          message.compression = reader.int32();
          break;
        case (3 << 3) | WIRE_VARINT:
          message.originalSize = reader.uint64();
          break;
        case (4 << 3) | WIRE_FIXED32:
          message.checksum = reader.fixed32();
          break;
        case (5 << 3) | WIRE_LEN:
          message.claimCheck = readMessage(reader, claimCheckCodec, message.claimCheck);
          break;
        case (6 << 3) | WIRE_LEN:
          message.data = reader.bytes();
          break;
        case (7 << 3) | WIRE_LEN:
          message.messageType = reader.string();
          break;
        default:
          otherField(reader, payloadCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.int32(1, message.encoding);
    sink.int32(2, message.compression);
    sink.uint64(3, message.originalSize);
    sink.fixed32(4, message.checksum);
    sink.message(5, message.claimCheck, claimCheckCodec);
    sink.bytes(6, message.data);
    sink.string(7, message.messageType);
  },
};
