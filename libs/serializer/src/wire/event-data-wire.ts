import type {
  ExecutionCancelled,
  ExecutionCompleted,
  ExecutionFailed,
  ExecutionStarted,
  TaskCompleted,
  TaskFailed,
  TaskStarted,
} from '@flunq/proto-types';
import { nextTag, otherField, readMessage, wireTypeTable, type MessageCodec } from './message-codec.js';
import { payloadCodec } from './payload-wire.js';
import { taskErrorCodec } from './state-wire.js';
import { WIRE_LEN, WIRE_VARINT } from './wire-type.js';

/*
 * Codecs of the messages carried by the `data` oneof of WorkflowEvent
 * (proto/flunq/v1/event.proto). Reads switch on whole tags, see payload-wire.ts.
 */

/** Wire codec of `flunq.v1.ExecutionStarted`. */
export const executionStartedCodec: MessageCodec<ExecutionStarted> = {
  typeName: 'flunq.v1.ExecutionStarted',
  wireTypes: wireTypeTable({ 1: WIRE_LEN, 2: WIRE_LEN }),
  create: () => ({ $typeName: 'flunq.v1.ExecutionStarted', workflowVersion: '' }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          message.input = readMessage(reader, payloadCodec, message.input);
          break;
        case (2 << 3) | WIRE_LEN:
          message.workflowVersion = reader.string();
          break;
        default:
          otherField(reader, executionStartedCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.message(1, message.input, payloadCodec);
    sink.string(2, message.workflowVersion);
  },
};

/** Wire codec of `flunq.v1.TaskStarted`. */
export const taskStartedCodec: MessageCodec<TaskStarted> = {
  typeName: 'flunq.v1.TaskStarted',
  wireTypes: wireTypeTable({ 1: WIRE_LEN, 2: WIRE_LEN, 3: WIRE_VARINT }),
  create: () => ({ $typeName: 'flunq.v1.TaskStarted', taskName: '', attempt: 0 }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          message.taskName = reader.string();
          break;
        case (2 << 3) | WIRE_LEN:
          message.inputData = readMessage(reader, payloadCodec, message.inputData);
          break;
        case (3 << 3) | WIRE_VARINT:
          message.attempt = reader.uint32();
          break;
        default:
          otherField(reader, taskStartedCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.taskName);
    sink.message(2, message.inputData, payloadCodec);
    sink.uint32(3, message.attempt);
  },
};

/** Wire types of TaskCompleted and TaskFailed, which differ only in the message type of field 3. */
const TASK_END_WIRE_TYPES = wireTypeTable({ 1: WIRE_LEN, 2: WIRE_LEN, 3: WIRE_LEN, 4: WIRE_VARINT, 5: WIRE_VARINT, 6: WIRE_VARINT });

/** Wire codec of `flunq.v1.TaskCompleted`. */
export const taskCompletedCodec: MessageCodec<TaskCompleted> = {
  typeName: 'flunq.v1.TaskCompleted',
  wireTypes: TASK_END_WIRE_TYPES,
  create: () => ({ $typeName: 'flunq.v1.TaskCompleted', taskName: '', startedAtMs: 0n, completedAtMs: 0n, attempt: 0 }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          message.taskName = reader.string();
          break;
        case (2 << 3) | WIRE_LEN:
          message.inputData = readMessage(reader, payloadCodec, message.inputData);
          break;
        case (3 << 3) | WIRE_LEN:
          message.outputData = readMessage(reader, payloadCodec, message.outputData);
          break;
        case (4 << 3) | WIRE_VARINT:
          message.startedAtMs = reader.int64();
          break;
        case (5 << 3) | WIRE_VARINT:
          message.completedAtMs = reader.int64();
          break;
        case (6 << 3) | WIRE_VARINT:
          message.attempt = reader.uint32();
          break;
        default:
          otherField(reader, taskCompletedCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.taskName);
    sink.message(2, message.inputData, payloadCodec);
    sink.message(3, message.outputData, payloadCodec);
    sink.int64(4, message.startedAtMs);
    sink.int64(5, message.completedAtMs);
    sink.uint32(6, message.attempt);
  },
};

/** Wire codec of `flunq.v1.TaskFailed`. */
export const taskFailedCodec: MessageCodec<TaskFailed> = {
  typeName: 'flunq.v1.TaskFailed',
  wireTypes: TASK_END_WIRE_TYPES,
  create: () => ({ $typeName: 'flunq.v1.TaskFailed', taskName: '', startedAtMs: 0n, completedAtMs: 0n, attempt: 0 }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          message.taskName = reader.string();
          break;
        case (2 << 3) | WIRE_LEN:
          message.inputData = readMessage(reader, payloadCodec, message.inputData);
          break;
        case (3 << 3) | WIRE_LEN:
          message.error = readMessage(reader, taskErrorCodec, message.error);
          break;
        case (4 << 3) | WIRE_VARINT:
          message.startedAtMs = reader.int64();
          break;
        case (5 << 3) | WIRE_VARINT:
          message.completedAtMs = reader.int64();
          break;
        case (6 << 3) | WIRE_VARINT:
          message.attempt = reader.uint32();
          break;
        default:
          otherField(reader, taskFailedCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.taskName);
    sink.message(2, message.inputData, payloadCodec);
    sink.message(3, message.error, taskErrorCodec);
    sink.int64(4, message.startedAtMs);
    sink.int64(5, message.completedAtMs);
    sink.uint32(6, message.attempt);
  },
};

/** Wire codec of `flunq.v1.ExecutionCompleted`. */
export const executionCompletedCodec: MessageCodec<ExecutionCompleted> = {
  typeName: 'flunq.v1.ExecutionCompleted',
  wireTypes: wireTypeTable({ 1: WIRE_LEN }),
  create: () => ({ $typeName: 'flunq.v1.ExecutionCompleted' }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      if (tag === ((1 << 3) | WIRE_LEN)) message.output = readMessage(reader, payloadCodec, message.output);
      else otherField(reader, executionCompletedCodec, tag);
    }
  },
  writeFields(sink, message) {
    sink.message(1, message.output, payloadCodec);
  },
};

/** Wire codec of `flunq.v1.ExecutionFailed`. */
export const executionFailedCodec: MessageCodec<ExecutionFailed> = {
  typeName: 'flunq.v1.ExecutionFailed',
  wireTypes: wireTypeTable({ 1: WIRE_LEN }),
  create: () => ({ $typeName: 'flunq.v1.ExecutionFailed' }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      if (tag === ((1 << 3) | WIRE_LEN)) message.error = readMessage(reader, taskErrorCodec, message.error);
      else otherField(reader, executionFailedCodec, tag);
    }
  },
  writeFields(sink, message) {
    sink.message(1, message.error, taskErrorCodec);
  },
};

/** Wire codec of `flunq.v1.ExecutionCancelled`. */
export const executionCancelledCodec: MessageCodec<ExecutionCancelled> = {
  typeName: 'flunq.v1.ExecutionCancelled',
  wireTypes: wireTypeTable({ 1: WIRE_LEN }),
  create: () => ({ $typeName: 'flunq.v1.ExecutionCancelled', reason: '' }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      if (tag === ((1 << 3) | WIRE_LEN)) message.reason = reader.string();
      else otherField(reader, executionCancelledCodec, tag);
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.reason);
  },
};
