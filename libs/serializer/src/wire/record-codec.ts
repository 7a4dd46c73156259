import type { Payload, TaskRecord, WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import { workflowEventCodec } from './event-wire.js';
import { decodeMessage } from './message-codec.js';
import { encodeMessage } from './message-encoder.js';
import { payloadCodec } from './payload-wire.js';
import { taskRecordCodec, workflowStateCodec } from './state-wire.js';

/**
 * Encodes a `flunq.v1.WorkflowEvent` to protobuf bytes identical to protobuf-es
 * `toBinary(WorkflowEventSchema, event)`, without reflection. `reserve` leaves that many
 * bytes free before the message (for an envelope header) so nothing is copied afterwards. `$unknown` fields are not
 * written. The result owns its buffer. Throws `TypeError`/`RangeError` for values outside
 * their field type (e.g. a `number` in an int64 field), as `toBinary` does.
 */
export function encodeWorkflowEvent(event: WorkflowEvent, reserve = 0): Uint8Array {
  return encodeMessage(workflowEventCodec, event, reserve);
}

/**
 * Decodes a `flunq.v1.WorkflowEvent` from `bytes[offset, offset + length)`, so a record
 * can be read after an envelope header without copying.
 *
 * The result deep-equals protobuf-es `fromBinary` of the same bytes (`$typeName` on every
 * message, proto3 defaults for absent scalars, absent message fields not set, an absent
 * oneof as `{ case: undefined }`, repeated occurrences merged), except that unknown fields
 * are skipped instead of kept in `$unknown`. `bytes` fields (payload data, sha256) are
 * views of the input, not copies: do not reuse the input buffer while the event is alive.
 *
 * Throws `CorruptedDataError` for malformed input: truncation, overlong varints, lengths
 * past the end, groups and wire types 6/7, a known field with another wire type, a field
 * straddling the end of its message, invalid UTF-8 in a string. fromBinary rejects these
 * too (with other errors) or, for the last three, misreads them.
 */
export function decodeWorkflowEvent(bytes: Uint8Array, offset = 0, length = bytes.length - offset): WorkflowEvent {
  return decodeMessage(workflowEventCodec, 'workflow event', bytes, offset, length);
}

/** Encodes a `flunq.v1.WorkflowState` byte-identically to protobuf-es `toBinary`; see {@link encodeWorkflowEvent}. */
export function encodeWorkflowState(state: WorkflowState, reserve = 0): Uint8Array {
  return encodeMessage(workflowStateCodec, state, reserve);
}

/** Decodes a `flunq.v1.WorkflowState` from `bytes[offset, offset + length)`; see {@link decodeWorkflowEvent}. */
export function decodeWorkflowState(bytes: Uint8Array, offset = 0, length = bytes.length - offset): WorkflowState {
  return decodeMessage(workflowStateCodec, 'workflow state', bytes, offset, length);
}

/** Encodes a `flunq.v1.TaskRecord` byte-identically to protobuf-es `toBinary`; see {@link encodeWorkflowEvent}. */
export function encodeTaskRecord(record: TaskRecord): Uint8Array {
  return encodeMessage(taskRecordCodec, record);
}

/** Decodes a `flunq.v1.TaskRecord` from `bytes[offset, offset + length)`; see {@link decodeWorkflowEvent}. */
export function decodeTaskRecord(bytes: Uint8Array, offset = 0, length = bytes.length - offset): TaskRecord {
  return decodeMessage(taskRecordCodec, 'task record', bytes, offset, length);
}

/**
 * Encodes a `flunq.v1.Payload` message byte-identically to protobuf-es `toBinary`. Named
 * `...Message` to keep apart from the serializer's JSON payload functions: this writes the
 * protobuf envelope of the payload, `data` is copied as-is.
 */
export function encodePayloadMessage(payload: Payload): Uint8Array {
  return encodeMessage(payloadCodec, payload);
}

/**
 * Decodes a `flunq.v1.Payload` message from `bytes[offset, offset + length)`; `data` is a
 * view of the input, not decompressed or parsed. See {@link decodeWorkflowEvent}.
 */
export function decodePayloadMessage(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Payload {
  return decodeMessage(payloadCodec, 'payload', bytes, offset, length);
}
