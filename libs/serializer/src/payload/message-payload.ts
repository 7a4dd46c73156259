import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { PayloadEncoding, type Payload } from '@flunq/proto-types';
import { CorruptedDataError, UnknownEncodingError } from '../errors/errors.js';
import { asUint8Array } from '../json/bytes.js';
import { bytesToPayload, verifyPayloadBytes } from './json-payload.js';

/**
 * Converts a typed protobuf message to an uncompressed `binary/protobuf` Payload that
 * names its message type, so a reader years later knows what the bytes are.
 */
export function messageToPayload<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Payload {
  return bytesToPayload(asUint8Array(toBinary(schema, message)), PayloadEncoding.BINARY_PROTOBUF, schema.typeName);
}

/**
 * Reads a `binary/protobuf` Payload as a message of `schema`, verifying size, checksum and
 * that the payload really holds that message type.
 */
export function payloadToMessage<Desc extends DescMessage>(schema: Desc, payload: Payload, what = 'payload'): MessageShape<Desc> {
  if (payload.encoding !== PayloadEncoding.BINARY_PROTOBUF) {
    throw new UnknownEncodingError('payload encoding for protobuf', PayloadEncoding[payload.encoding] ?? payload.encoding);
  }
  if (payload.messageType !== schema.typeName) {
    throw new CorruptedDataError(what, `holds ${payload.messageType || 'an unnamed message'}, not ${schema.typeName}`);
  }
  if (payload.compression !== 0) throw new CorruptedDataError(what, 'still compressed: decode it with the codec first');
  verifyPayloadBytes(payload, payload.data, what);
  try {
    return fromBinary(schema, payload.data);
  } catch (error) {
    throw new CorruptedDataError(what, `not a valid ${schema.typeName}`, { cause: error });
  }
}
