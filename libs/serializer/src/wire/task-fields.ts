import type { Payload } from '@flunq/proto-types';
import { readMessage, type FieldGroup } from './message-codec.js';
import { payloadCodec } from './payload-wire.js';
import { lenTag, varintTag } from './wire-type.js';

/*
 * Field groups several task messages share (proto/flunq/v1/event.proto, state.proto):
 * their codecs spread a group's `readers` and call its `writeFields`.
 */

/** A message starting with `string task_name = 1; Payload input_data = 2;`: every task event. */
interface TaskHead {
  taskName: string;
  inputData?: Payload;
}

/** A message holding the `started_at_ms`, `completed_at_ms` and `attempt` of a task run. */
interface TaskTimes {
  startedAtMs: bigint;
  completedAtMs: bigint;
  attempt: number;
}

/** `task_name = 1` and `input_data = 2` of TaskStarted, TaskCompleted and TaskFailed. */
export const TASK_HEAD_FIELDS: FieldGroup<TaskHead> = {
  readers: {
    [lenTag(1)]: (r, m) => (m.taskName = r.string()),
    [lenTag(2)]: (r, m) => (m.inputData = readMessage(r, payloadCodec, m.inputData)),
  },
  writeFields(sink, message) {
    sink.string(1, message.taskName);
    sink.message(2, message.inputData, payloadCodec);
  },
};

/**
 * `int64 started_at_ms`, `int64 completed_at_ms` and `uint32 attempt`, numbered from
 * `first`: 4 in TaskCompleted and TaskFailed, 5 in TaskRecord.
 */
export function taskTimeFields(first: number): FieldGroup<TaskTimes> {
  return {
    readers: {
      [varintTag(first)]: (r, m) => (m.startedAtMs = r.int64()),
      [varintTag(first + 1)]: (r, m) => (m.completedAtMs = r.int64()),
      [varintTag(first + 2)]: (r, m) => (m.attempt = r.uint32()),
    },
    writeFields(sink, message) {
      sink.int64(first, message.startedAtMs);
      sink.int64(first + 1, message.completedAtMs);
      sink.uint32(first + 2, message.attempt);
    },
  };
}
