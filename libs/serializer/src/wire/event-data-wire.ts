import type {
  ExecutionCancelled,
  ExecutionCompleted,
  ExecutionFailed,
  ExecutionStarted,
  TaskCompleted,
  TaskFailed,
  TaskStarted,
  WorkflowEvent,
} from '@flunq/proto-types';
import { messageCodec, readMessage, type FieldGroup, type MessageCodec } from './message-codec.js';
import { payloadCodec } from './payload-wire.js';
import { taskErrorCodec } from './state-wire.js';
import { TASK_HEAD_FIELDS, taskTimeFields } from './task-fields.js';
import { lenTag, varintTag } from './wire-type.js';

/*
 * Codecs of the messages carried by the `data` oneof of WorkflowEvent
 * (proto/flunq/v1/event.proto). Fields are listed as described in payload-wire.ts.
 */

/** Wire codec of `flunq.v1.ExecutionStarted`. */
export const executionStartedCodec: MessageCodec<ExecutionStarted> = messageCodec<ExecutionStarted>({
  typeName: 'flunq.v1.ExecutionStarted',
  create: () => ({ $typeName: 'flunq.v1.ExecutionStarted', workflowVersion: '' }),
  readers: {
    [lenTag(1)]: (r, m) => (m.input = readMessage(r, payloadCodec, m.input)),
    [lenTag(2)]: (r, m) => (m.workflowVersion = r.string()),
  },
  writeFields(sink, message) {
    sink.message(1, message.input, payloadCodec);
    sink.string(2, message.workflowVersion);
  },
});

/** Wire codec of `flunq.v1.TaskStarted`. */
export const taskStartedCodec: MessageCodec<TaskStarted> = messageCodec<TaskStarted>({
  typeName: 'flunq.v1.TaskStarted',
  create: () => ({ $typeName: 'flunq.v1.TaskStarted', taskName: '', attempt: 0 }),
  readers: { ...TASK_HEAD_FIELDS.readers, [varintTag(3)]: (r, m) => (m.attempt = r.uint32()) },
  writeFields(sink, message) {
    TASK_HEAD_FIELDS.writeFields(sink, message);
    sink.uint32(3, message.attempt);
  },
});

const TASK_END_TIME_FIELDS = taskTimeFields(4);

/**
 * Codec of TaskCompleted or TaskFailed, which differ only in field 3 (`outcome`):
 * `task_name = 1`, `input_data = 2`, the outcome, then the task times from 4.
 */
function taskEndCodec<T extends TaskCompleted | TaskFailed>(typeName: T['$typeName'], outcome: FieldGroup<T>): MessageCodec<T> {
  return messageCodec<T>({
    typeName,
    // Both messages hold these defaults (and no outcome, a message field) when fresh.
    create: () => ({ $typeName: typeName, taskName: '', startedAtMs: 0n, completedAtMs: 0n, attempt: 0 }) as T,
    readers: { ...TASK_HEAD_FIELDS.readers, ...outcome.readers, ...TASK_END_TIME_FIELDS.readers },
    writeFields(sink, message) {
      TASK_HEAD_FIELDS.writeFields(sink, message);
      outcome.writeFields(sink, message);
      TASK_END_TIME_FIELDS.writeFields(sink, message);
    },
  });
}

/** Wire codec of `flunq.v1.TaskCompleted`. */
export const taskCompletedCodec: MessageCodec<TaskCompleted> = taskEndCodec<TaskCompleted>('flunq.v1.TaskCompleted', {
  readers: { [lenTag(3)]: (r, m) => (m.outputData = readMessage(r, payloadCodec, m.outputData)) },
  writeFields: (sink, message) => sink.message(3, message.outputData, payloadCodec),
});

/** Wire codec of `flunq.v1.TaskFailed`. */
export const taskFailedCodec: MessageCodec<TaskFailed> = taskEndCodec<TaskFailed>('flunq.v1.TaskFailed', {
  readers: { [lenTag(3)]: (r, m) => (m.error = readMessage(r, taskErrorCodec, m.error)) },
  writeFields: (sink, message) => sink.message(3, message.error, taskErrorCodec),
});

/** Wire codec of `flunq.v1.ExecutionCompleted`. */
export const executionCompletedCodec: MessageCodec<ExecutionCompleted> = messageCodec<ExecutionCompleted>({
  typeName: 'flunq.v1.ExecutionCompleted',
  create: () => ({ $typeName: 'flunq.v1.ExecutionCompleted' }),
  readers: { [lenTag(1)]: (r, m) => (m.output = readMessage(r, payloadCodec, m.output)) },
  writeFields: (sink, message) => sink.message(1, message.output, payloadCodec),
});

/** Wire codec of `flunq.v1.ExecutionFailed`. */
export const executionFailedCodec: MessageCodec<ExecutionFailed> = messageCodec<ExecutionFailed>({
  typeName: 'flunq.v1.ExecutionFailed',
  create: () => ({ $typeName: 'flunq.v1.ExecutionFailed' }),
  readers: { [lenTag(1)]: (r, m) => (m.error = readMessage(r, taskErrorCodec, m.error)) },
  writeFields: (sink, message) => sink.message(1, message.error, taskErrorCodec),
});

/** Wire codec of `flunq.v1.ExecutionCancelled`. */
export const executionCancelledCodec: MessageCodec<ExecutionCancelled> = messageCodec<ExecutionCancelled>({
  typeName: 'flunq.v1.ExecutionCancelled',
  create: () => ({ $typeName: 'flunq.v1.ExecutionCancelled', reason: '' }),
  readers: { [lenTag(1)]: (r, m) => (m.reason = r.string()) },
  writeFields: (sink, message) => sink.string(1, message.reason),
});

type EventData = WorkflowEvent['data'];

/** A case of the `data` oneof of WorkflowEvent. */
export type EventDataCase = NonNullable<EventData['case']>;
/** A message the `data` oneof of WorkflowEvent may hold. */
export type EventDataValue = NonNullable<EventData['value']>;

/** One member of the `data` oneof of WorkflowEvent: its field number, case name and message codec. */
export interface EventDataMember {
  readonly fieldNo: number;
  readonly case: EventDataCase;
  readonly codec: MessageCodec<EventDataValue>;
}

/** A member whose codec is checked against the type its case holds. */
function member<C extends EventDataCase>(fieldNo: number, oneofCase: C, codec: MessageCodec<Extract<EventData, { case: C }>['value']>): EventDataMember {
  // Sound as used: event-wire.ts only hands this codec the values of this case.
  return { fieldNo, case: oneofCase, codec: codec as unknown as MessageCodec<EventDataValue> };
}

/** The members of the `data` oneof of WorkflowEvent. */
export const EVENT_DATA_MEMBERS: readonly EventDataMember[] = [
  member(20, 'executionStarted', executionStartedCodec),
  member(21, 'taskStarted', taskStartedCodec),
  member(22, 'taskCompleted', taskCompletedCodec),
  member(23, 'taskFailed', taskFailedCodec),
  member(24, 'executionCompleted', executionCompletedCodec),
  member(25, 'executionFailed', executionFailedCodec),
  member(26, 'executionCancelled', executionCancelledCodec),
  member(40, 'other', payloadCodec),
];
