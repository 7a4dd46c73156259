import type { ClaimCheck, Payload } from '@flunq/proto-types';
import { messageCodec, readMessage, type MessageCodec } from './message-codec.js';
import { fixed32Tag, lenTag, varintTag } from './wire-type.js';

/**
 * Default of absent `bytes` fields. Shared: a zero-length view has no elements to
 * mutate, and decoding must not allocate for fields that are not there.
 */
export const EMPTY_BYTES = new Uint8Array(0);

/*
 * Each codec in the `*-wire.ts` files lists its fields twice, one line per field: its
 * reader under its tag (which also declares its wire type), and its place in `writeFields`.
 */

/** Wire codec of `flunq.v1.ClaimCheck` (proto/flunq/v1/payload.proto). */
export const claimCheckCodec: MessageCodec<ClaimCheck> = messageCodec<ClaimCheck>({
  typeName: 'flunq.v1.ClaimCheck',
  create: () => ({ $typeName: 'flunq.v1.ClaimCheck', uri: '', sha256: EMPTY_BYTES, storedSize: 0n }),
  readers: {
    [lenTag(1)]: (r, m) => (m.uri = r.string()),
    [lenTag(2)]: (r, m) => (m.sha256 = r.bytes()),
    [varintTag(3)]: (r, m) => (m.storedSize = r.uint64()),
  },
  writeFields(sink, message) {
    sink.string(1, message.uri);
    sink.bytes(2, message.sha256);
    sink.uint64(3, message.storedSize);
  },
});

/**
 * Wire codec of `flunq.v1.Payload`. `data` decodes to a view of the input: the payload
 * bytes are neither copied nor decompressed nor parsed.
 */
export const payloadCodec: MessageCodec<Payload> = messageCodec<Payload>({
  typeName: 'flunq.v1.Payload',
  create: () => ({
    $typeName: 'flunq.v1.Payload',
    encoding: 0,
    compression: 0,
    originalSize: 0n,
    checksum: 0,
    data: EMPTY_BYTES,
    messageType: '',
  }),
  readers: {
    [varintTag(1)]: (r, m) => (m.encoding = r.int32()),
    [varintTag(2)]: (r, m) => (m.compression = r.int32()),
    [varintTag(3)]: (r, m) => (m.originalSize = r.uint64()),
    [fixed32Tag(4)]: (r, m) => (m.checksum = r.fixed32()),
    [lenTag(5)]: (r, m) => (m.claimCheck = readMessage(r, claimCheckCodec, m.claimCheck)),
    [lenTag(6)]: (r, m) => (m.data = r.bytes()),
    [lenTag(7)]: (r, m) => (m.messageType = r.string()),
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
});
