/**
 * Hand-written protobuf wire codec of the flunq record messages (proto/flunq/v1): same
 * bytes as protobuf-es `toBinary`, same objects as `fromBinary`, several times faster and
 * without copying payload bytes on decode. Malformed input throws `CorruptedDataError`.
 *
 * Keep in step with the .proto files: a field added there is an unknown field here
 * (skipped on decode, absent on encode) until its codec in `*-wire.ts` lists it. The
 * property tests compare against protobuf-es for every message, so they fail on a
 * generated field the codec does not know.
 */

/** Event -> protobuf bytes, byte-identical to `toBinary(WorkflowEventSchema, event)`. */
export { encodeWorkflowEvent } from './record-codec.js';
/**
 * Protobuf bytes (optionally a region after a header) -> event deep-equal to `fromBinary`;
 * payload `data` stays a view of the input, which is what makes envelope reads cheap.
 */
export { decodeWorkflowEvent } from './record-codec.js';
/** State snapshot -> protobuf bytes, byte-identical to `toBinary(WorkflowStateSchema, state)`. */
export { encodeWorkflowState } from './record-codec.js';
/** Protobuf bytes -> state snapshot deep-equal to `fromBinary(WorkflowStateSchema, bytes)`. */
export { decodeWorkflowState } from './record-codec.js';
/** Task record -> protobuf bytes, byte-identical to `toBinary(TaskRecordSchema, record)`. */
export { encodeTaskRecord } from './record-codec.js';
/** Protobuf bytes -> task record deep-equal to `fromBinary(TaskRecordSchema, bytes)`. */
export { decodeTaskRecord } from './record-codec.js';
/** Payload message -> protobuf bytes, byte-identical to `toBinary(PayloadSchema, payload)`. */
export { encodePayloadMessage } from './record-codec.js';
/** Protobuf bytes -> Payload message deep-equal to `fromBinary(PayloadSchema, bytes)`; `data` is a view. */
export { decodePayloadMessage } from './record-codec.js';
