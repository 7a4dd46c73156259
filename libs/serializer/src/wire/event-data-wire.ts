import type {
  ExecutionCancelled,
  ExecutionCompleted,
  ExecutionFailed,
  ExecutionStarted,
  TaskCompleted,
  TaskFailed,
  TaskStarted,
} from '@flunq/proto-types';
import { nextField, readMessage, wireTypeTable, type MessageCodec } from './message-codec.js';
import { payloadCodec } from './payload-wire.js';
import { taskErrorCodec } from './state-wire.js';
import { WIRE_LEN, WIRE_VARINT } from './wire-type.js';

/** Wire codec of `flunq.v1.ExecutionStarted` (proto/flunq/v1/event.proto). */
export const executionStartedCodec: MessageCodec<ExecutionStarted> = {
  typeName: 'flunq.v1.ExecutionStarted',
  wireTypes: wireTypeTable({ 1: WIRE_LEN, 2: WIRE_LEN }),
  create: () => ({ $typeName: 'flunq.v1.ExecutionStarted', workflowVersion: '' }),
  read(reader, message) {
    for (let fieldNo = nextField(reader, executionStartedCodec); fieldNo !== 0; fieldNo = nextField(reader, executionStartedCodec)) {
      if (fieldNo === 1) message.input = readMessage(reader, payloadCodec, message.input);
      else message.workflowVersion = reader.string();
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
    for (let fieldNo = nextField(reader, taskStartedCodec); fieldNo !== 0; fieldNo = nextField(reader, taskStartedCodec)) {
      switch (fieldNo) {
        case 1:
          message.taskName = reader.string();
          break;
        case 2:
          message.inputData = readMessage(reader, payloadCodec, message.inputData);
          break;
        case 3:
          message.attempt = reader.uint32();
      }
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.taskName);
    sink.message(2, message.inputData, payloadCodec);
    sink.uint32(3, message.attempt);
  },
};

/** Field 1..6 wire types shared by TaskCompleted and TaskFailed (field 3 is a message in both). */
const TASK_END_WIRE_TYPES = wireTypeTable({ 1: WIRE_LEN, 2: WIRE_LEN, 3: WIRE_LEN, 4: WIRE_VARINT, 5: WIRE_VARINT, 6: WIRE_VARINT });

/** Wire codec of `flunq.v1.TaskCompleted`. */
export const taskCompletedCodec: MessageCodec<TaskCompleted> = {
  typeName: 'flunq.v1.TaskCompleted',
  wireTypes: TASK_END_WIRE_TYPES,
  create: () => ({ $typeName: 'flunq.v1.TaskCompleted', taskName: '', startedAtMs: 0n, completedAtMs: 0n, attempt: 0 }),
  read(reader, message) {
    for (let fieldNo = nextField(reader, taskCompletedCodec); fieldNo !== 0; fieldNo = nextField(reader, taskCompletedCodec)) {
      switch (fieldNo) {
        case 1:
          message.taskName = reader.string();
          break;
        case 2:
          message.inputData = readMessage(reader, payloadCodec, message.inputData);
          break;
        case 3:
          message.outputData = readMessage(reader, payloadCodec, message.outputData);
          break;
        case 4:
          message.startedAtMs = reader.int64();
          break;
        case 5:
          message.completedAtMs = reader.int64();
          break;
        case 6:
          message.attempt = reader.uint32();
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
    for (let fieldNo = nextField(reader, taskFailedCodec); fieldNo !== 0; fieldNo = nextField(reader, taskFailedCodec)) {
      switch (fieldNo) {
        case 1:
          message.taskName = reader.string();
          break;
        case 2:
          message.inputData = readMessage(reader, payloadCodec, message.inputData);
          break;
        case 3:
          message.error = readMessage(reader, taskErrorCodec, message.error);
          break;
        case 4:
          message.startedAtMs = reader.int64();
          break;
        case 5:
          message.completedAtMs = reader.int64();
          break;
        case 6:
          message.attempt = reader.uint32();
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
    for (let fieldNo = nextField(reader, executionCompletedCodec); fieldNo !== 0; fieldNo = nextField(reader, executionCompletedCodec)) {
      message.output = readMessage(reader, payloadCodec, message.output);
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
    for (let fieldNo = nextField(reader, executionFailedCodec); fieldNo !== 0; fieldNo = nextField(reader, executionFailedCodec)) {
      message.error = readMessage(reader, taskErrorCodec, message.error);
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
    for (let fieldNo = nextField(reader, executionCancelledCodec); fieldNo !== 0; fieldNo = nextField(reader, executionCancelledCodec)) {
      message.reason = reader.string();
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.reason);
  },
};
