import type { TaskError, TaskRecord, WorkflowState } from '@flunq/proto-types';
import { messageCodec, readMessage, type MessageCodec } from './message-codec.js';
import { payloadCodec } from './payload-wire.js';
import { taskTimeFields } from './task-fields.js';
import { lenTag, varintTag } from './wire-type.js';

/*
 * Codecs of proto/flunq/v1/state.proto. Fields are listed as described in payload-wire.ts.
 */

/** Wire codec of `flunq.v1.TaskError`. */
export const taskErrorCodec: MessageCodec<TaskError> = messageCodec<TaskError>({
  typeName: 'flunq.v1.TaskError',
  create: () => ({ $typeName: 'flunq.v1.TaskError', type: '', status: 0, title: '', detail: '', instance: '', retryable: false }),
  readers: {
    [lenTag(1)]: (r, m) => (m.type = r.string()),
    [varintTag(2)]: (r, m) => (m.status = r.uint32()),
    [lenTag(3)]: (r, m) => (m.title = r.string()),
    [lenTag(4)]: (r, m) => (m.detail = r.string()),
    [lenTag(5)]: (r, m) => (m.instance = r.string()),
    [varintTag(6)]: (r, m) => (m.retryable = r.bool()),
  },
  writeFields(sink, message) {
    sink.string(1, message.type);
    sink.uint32(2, message.status);
    sink.string(3, message.title);
    sink.string(4, message.detail);
    sink.string(5, message.instance);
    sink.bool(6, message.retryable);
  },
});

const RECORD_TIME_FIELDS = taskTimeFields(5);

/** Wire codec of `flunq.v1.TaskRecord`. */
export const taskRecordCodec: MessageCodec<TaskRecord> = messageCodec<TaskRecord>({
  typeName: 'flunq.v1.TaskRecord',
  create: () => ({
    $typeName: 'flunq.v1.TaskRecord',
    taskName: '',
    taskId: '',
    startedAtMs: 0n,
    completedAtMs: 0n,
    attempt: 0,
    eventSeq: 0n,
  }),
  readers: {
    [lenTag(1)]: (r, m) => (m.taskName = r.string()),
    [lenTag(2)]: (r, m) => (m.taskId = r.string()),
    [lenTag(3)]: (r, m) => (m.input = readMessage(r, payloadCodec, m.input)),
    [lenTag(4)]: (r, m) => (m.output = readMessage(r, payloadCodec, m.output)),
    ...RECORD_TIME_FIELDS.readers,
    [lenTag(8)]: (r, m) => (m.error = readMessage(r, taskErrorCodec, m.error)),
    [varintTag(9)]: (r, m) => (m.eventSeq = r.uint64()),
  },
  writeFields(sink, message) {
    sink.string(1, message.taskName);
    sink.string(2, message.taskId);
    sink.message(3, message.input, payloadCodec);
    sink.message(4, message.output, payloadCodec);
    RECORD_TIME_FIELDS.writeFields(sink, message);
    sink.message(8, message.error, taskErrorCodec);
    sink.uint64(9, message.eventSeq);
  },
});

/** Wire codec of `flunq.v1.WorkflowState`; repeated fields are appended in wire order. */
export const workflowStateCodec: MessageCodec<WorkflowState> = messageCodec<WorkflowState>({
  typeName: 'flunq.v1.WorkflowState',
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
    replayOf: '',
    taskCount: 0,
  }),
  readers: {
    [lenTag(1)]: (r, m) => (m.id = r.string()),
    [lenTag(2)]: (r, m) => (m.tenantId = r.string()),
    [lenTag(3)]: (r, m) => (m.workflowId = r.string()),
    [lenTag(4)]: (r, m) => (m.workflowVersion = r.string()),
    [varintTag(5)]: (r, m) => (m.status = r.int32()),
    [lenTag(6)]: (r, m) => (m.input = readMessage(r, payloadCodec, m.input)),
    [lenTag(7)]: (r, m) => (m.output = readMessage(r, payloadCodec, m.output)),
    [lenTag(8)]: (r, m) => (m.variables = readMessage(r, payloadCodec, m.variables)),
    [lenTag(9)]: (r, m) => m.completedTasks.push(readMessage(r, taskRecordCodec)),
    [lenTag(10)]: (r, m) => m.currentTasks.push(r.string()),
    [varintTag(11)]: (r, m) => (m.createdAtMs = r.int64()),
    [varintTag(12)]: (r, m) => (m.updatedAtMs = r.int64()),
    [varintTag(13)]: (r, m) => (m.completedAtMs = r.int64()),
    [varintTag(14)]: (r, m) => (m.version = r.uint64()),
    [lenTag(15)]: (r, m) => (m.correlationId = r.string()),
    [lenTag(16)]: (r, m) => (m.error = readMessage(r, taskErrorCodec, m.error)),
    [varintTag(17)]: (r, m) => (m.inputEventSeq = r.uint64()),
    [varintTag(18)]: (r, m) => (m.outputEventSeq = r.uint64()),
    [lenTag(19)]: (r, m) => (m.replayOf = r.string()),
    [varintTag(20)]: (r, m) => (m.taskCount = r.uint32()),
  },
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
    sink.string(19, message.replayOf);
    sink.uint32(20, message.taskCount);
  },
});
