import { create } from '@bufbuild/protobuf';
import {
  ExecutionStatus,
  TaskRecordSchema,
  WorkflowStateSchema,
  type Payload,
  type TaskRecord,
  type WorkflowEvent,
  type WorkflowState,
} from '@flunq/proto-types';

const TERMINAL = new Set([ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED]);

/** True for statuses after which an execution never changes again (and gets its TTL). */
export function isTerminal(status: ExecutionStatus): boolean {
  return TERMINAL.has(status);
}

function samePayload(a: Payload | undefined, b: Payload | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.encoding === b.encoding &&
    a.compression === b.compression &&
    a.checksum === b.checksum &&
    a.originalSize === b.originalSize &&
    Buffer.compare(a.data, b.data) === 0 &&
    a.claimCheck?.uri === b.claimCheck?.uri
  );
}

/** Input and output a task event carries, if it is a task completion or failure. */
export function taskPayloadsOf(event: WorkflowEvent): { taskName: string; input?: Payload; output?: Payload } | undefined {
  switch (event.data.case) {
    case 'taskCompleted':
      return { taskName: event.data.value.taskName, input: event.data.value.inputData, output: event.data.value.outputData };
    case 'taskFailed':
      return { taskName: event.data.value.taskName, input: event.data.value.inputData };
    default:
      return undefined;
  }
}

/**
 * The snapshot as stored: a completed task's input and output live once, in the event at
 * its `eventSeq`, not again in the state. A record of the step being written keeps them
 * inline unless the event really carries the same bytes; records of earlier steps are
 * immutable and always refer to their event.
 */
export function toStoredSnapshot(state: WorkflowState, event: WorkflowEvent, sequence: number): WorkflowState {
  const carried = taskPayloadsOf(event);
  let changed = false;
  const tasks = state.completedTasks.map((task): TaskRecord => {
    const seq = Number(task.eventSeq);
    if (seq <= 0 || seq > sequence || (!task.input && !task.output)) return task;
    if (seq === sequence) {
      const same = carried && carried.taskName === task.taskName && samePayload(carried.input, task.input) && samePayload(carried.output, task.output);
      if (!same) return task;
    }
    changed = true;
    return create(TaskRecordSchema, { ...task, input: undefined, output: undefined });
  });
  return changed ? create(WorkflowStateSchema, { ...state, completedTasks: tasks }) : state;
}

/**
 * Fills the input and output of completed tasks from the events that carry them.
 * `loadEvents` returns the events at the given sequences (missing ones absent).
 */
export async function hydrateSnapshot(
  state: WorkflowState,
  loadEvents: (sequences: number[]) => Promise<Map<number, WorkflowEvent>>,
): Promise<WorkflowState> {
  const wanted = state.completedTasks.filter((t) => t.eventSeq > 0n && !t.input && !t.output).map((t) => Number(t.eventSeq));
  if (wanted.length === 0) return state;
  const events = await loadEvents(wanted);
  for (const task of state.completedTasks) {
    const event = events.get(Number(task.eventSeq));
    const carried = event && !task.input && !task.output ? taskPayloadsOf(event) : undefined;
    if (carried) {
      task.input = carried.input;
      task.output = carried.output;
    }
  }
  return state;
}
