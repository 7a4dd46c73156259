import type { TaskError, TaskRecord, WorkflowState } from '@flunq/proto-types';
import { nextTag, otherField, readMessage, wireTypeTable, type MessageCodec } from './message-codec.js';
import { payloadCodec } from './payload-wire.js';
import type { WireReader } from './wire-reader.js';
import { WIRE_LEN, WIRE_VARINT } from './wire-type.js';

/** Wire codec of `flunq.v1.TaskError` (proto/flunq/v1/state.proto). Reads switch on whole tags, see payload-wire.ts. */
export const taskErrorCodec: MessageCodec<TaskError> = {
  typeName: 'flunq.v1.TaskError',
  wireTypes: wireTypeTable({ 1: WIRE_LEN, 2: WIRE_VARINT, 3: WIRE_LEN, 4: WIRE_LEN, 5: WIRE_LEN, 6: WIRE_VARINT }),
  create: () => ({ $typeName: 'flunq.v1.TaskError', type: '', status: 0, title: '', detail: '', instance: '', retryable: false }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          message.type = reader.string();
          break;
        case (2 << 3) | WIRE_VARINT:
          message.status = reader.uint32();
          break;
        case (3 << 3) | WIRE_LEN:
          message.title = reader.string();
          break;
        case (4 << 3) | WIRE_LEN:
          message.detail = reader.string();
          break;
        case (5 << 3) | WIRE_LEN:
          message.instance = reader.string();
          break;
        case (6 << 3) | WIRE_VARINT:
          message.retryable = reader.bool();
          break;
        default:
          otherField(reader, taskErrorCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.type);
    sink.uint32(2, message.status);
    sink.string(3, message.title);
    sink.string(4, message.detail);
    sink.string(5, message.instance);
    sink.bool(6, message.retryable);
  },
};

/** Wire codec of `flunq.v1.TaskRecord`. */
export const taskRecordCodec: MessageCodec<TaskRecord> = {
  typeName: 'flunq.v1.TaskRecord',
  wireTypes: wireTypeTable({
    1: WIRE_LEN,
    2: WIRE_LEN,
    3: WIRE_LEN,
    4: WIRE_LEN,
    5: WIRE_VARINT,
    6: WIRE_VARINT,
    7: WIRE_VARINT,
    8: WIRE_LEN,
    9: WIRE_VARINT,
  }),
  create: () => ({
    $typeName: 'flunq.v1.TaskRecord',
    taskName: '',
    taskId: '',
    startedAtMs: 0n,
    completedAtMs: 0n,
    attempt: 0,
    eventSeq: 0n,
  }),
  read(reader, message) {
    for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
      switch (tag) {
        case (1 << 3) | WIRE_LEN:
          message.taskName = reader.string();
          break;
        case (2 << 3) | WIRE_LEN:
          message.taskId = reader.string();
          break;
        case (3 << 3) | WIRE_LEN:
          message.input = readMessage(reader, payloadCodec, message.input);
          break;
        case (4 << 3) | WIRE_LEN:
          message.output = readMessage(reader, payloadCodec, message.output);
          break;
        case (5 << 3) | WIRE_VARINT:
          message.startedAtMs = reader.int64();
          break;
        case (6 << 3) | WIRE_VARINT:
          message.completedAtMs = reader.int64();
          break;
        case (7 << 3) | WIRE_VARINT:
          message.attempt = reader.uint32();
          break;
        case (8 << 3) | WIRE_LEN:
          message.error = readMessage(reader, taskErrorCodec, message.error);
          break;
        case (9 << 3) | WIRE_VARINT:
          message.eventSeq = reader.uint64();
          break;
        default:
          otherField(reader, taskRecordCodec, tag);
      }
    }
  },
  writeFields(sink, message) {
    sink.string(1, message.taskName);
    sink.string(2, message.taskId);
    sink.message(3, message.input, payloadCodec);
    sink.message(4, message.output, payloadCodec);
    sink.int64(5, message.startedAtMs);
    sink.int64(6, message.completedAtMs);
    sink.uint32(7, message.attempt);
    sink.message(8, message.error, taskErrorCodec);
    sink.uint64(9, message.eventSeq);
  },
};

/** Wire codec of `flunq.v1.WorkflowState`; repeated fields are appended in wire order. */
export const workflowStateCodec: MessageCodec<WorkflowState> = {
  typeName: 'flunq.v1.WorkflowState',
  wireTypes: wireTypeTable({
    1: WIRE_LEN,
    2: WIRE_LEN,
    3: WIRE_LEN,
    4: WIRE_LEN,
    5: WIRE_VARINT,
    6: WIRE_LEN,
    7: WIRE_LEN,
    8: WIRE_LEN,
    9: WIRE_LEN,
    10: WIRE_LEN,
    11: WIRE_VARINT,
    12: WIRE_VARINT,
    13: WIRE_VARINT,
    14: WIRE_VARINT,
    15: WIRE_LEN,
    16: WIRE_LEN,
    17: WIRE_VARINT,
    18: WIRE_VARINT,
  }),
  create: () => ({
    $typeName: 'flunq.v1.WorkflowState',
    id: '',
    tenantId: '',
    workflowId: '',
    workflowVersion: '',
    status: 0,
    completedTasks: [],
    currentTasks: [],
    createdAtMs: 0n,
    updatedAtMs: 0n,
    completedAtMs: 0n,
    version: 0n,
    correlationId: '',
    inputEventSeq: 0n,
    outputEventSeq: 0n,
  }),
  read: readState,
  writeFields(sink, message) {
    sink.string(1, message.id);
    sink.string(2, message.tenantId);
    sink.string(3, message.workflowId);
    sink.string(4, message.workflowVersion);
    sink.int32(5, message.status);
    sink.message(6, message.input, payloadCodec);
    sink.message(7, message.output, payloadCodec);
    sink.message(8, message.variables, payloadCodec);
    for (const task of message.completedTasks) sink.message(9, task, taskRecordCodec);
    for (const taskId of message.currentTasks) sink.repeatedString(10, taskId);
    sink.int64(11, message.createdAtMs);
    sink.int64(12, message.updatedAtMs);
    sink.int64(13, message.completedAtMs);
    sink.uint64(14, message.version);
    sink.string(15, message.correlationId);
    sink.message(16, message.error, taskErrorCodec);
    sink.uint64(17, message.inputEventSeq);
    sink.uint64(18, message.outputEventSeq);
  },
};

function readState(reader: WireReader, message: WorkflowState): void {
  for (let tag = nextTag(reader); tag !== 0; tag = nextTag(reader)) {
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        message.id = reader.string();
        break;
      case (2 << 3) | WIRE_LEN:
        message.tenantId = reader.string();
        break;
      case (3 << 3) | WIRE_LEN:
        message.workflowId = reader.string();
        break;
      case (4 << 3) | WIRE_LEN:
        message.workflowVersion = reader.string();
        break;
      case (5 << 3) | WIRE_VARINT:
        message.status = reader.int32();
        break;
      case (6 << 3) | WIRE_LEN:
        message.input = readMessage(reader, payloadCodec, message.input);
        break;
      case (7 << 3) | WIRE_LEN:
        message.output = readMessage(reader, payloadCodec, message.output);
        break;
      case (8 << 3) | WIRE_LEN:
        message.variables = readMessage(reader, payloadCodec, message.variables);
        break;
      case (9 << 3) | WIRE_LEN:
        message.completedTasks.push(readMessage(reader, taskRecordCodec));
        break;
      case (10 << 3) | WIRE_LEN:
        message.currentTasks.push(reader.string());
        break;
      case (11 << 3) | WIRE_VARINT:
        message.createdAtMs = reader.int64();
        break;
      case (12 << 3) | WIRE_VARINT:
        message.updatedAtMs = reader.int64();
        break;
      case (13 << 3) | WIRE_VARINT:
        message.completedAtMs = reader.int64();
        break;
      case (14 << 3) | WIRE_VARINT:
        message.version = reader.uint64();
        break;
      case (15 << 3) | WIRE_LEN:
        message.correlationId = reader.string();
        break;
      case (16 << 3) | WIRE_LEN:
        message.error = readMessage(reader, taskErrorCodec, message.error);
        break;
      case (17 << 3) | WIRE_VARINT:
        message.inputEventSeq = reader.uint64();
        break;
      case (18 << 3) | WIRE_VARINT:
        message.outputEventSeq = reader.uint64();
        break;
      default:
        otherField(reader, workflowStateCodec, tag);
    }
  }
}
