import {
  ExecutionStatus,
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

/** What an event carries: the input and output of a task or of the execution. */
export function carriedPayloads(event: WorkflowEvent): { input?: Payload; output?: Payload } {
  const { data } = event;
  switch (data.case) {
    case 'executionStarted':
      return { input: data.value.input };
    case 'taskStarted':
      return { input: data.value.inputData };
    case 'taskCompleted':
      return { input: data.value.inputData, output: data.value.outputData };
    case 'taskFailed':
      return { input: data.value.inputData };
    case 'executionCompleted':
      return { output: data.value.output };
    default:
      return {};
  }
}

/**
 * Drops a payload that the event at `seq` carries. For the step being written
 * (`seq === sequence`) the event must carry the same bytes, else the payload stays inline;
 * earlier steps' references are immutable and were checked when they were written.
 */
function stripIfCarried(payload: Payload | undefined, seq: bigint, sequence: number, carried: Payload | undefined): Payload | undefined {
  const at = Number(seq);
  if (!payload || at <= 0 || at > sequence) return payload;
  if (at === sequence && !samePayload(carried, payload)) return payload;
  return undefined;
}

/**
 * The snapshot as stored: every payload that an event already carries (the execution
 * input in its started event, each completed task's input and output, the output) is
 * kept there once and referred to by position, so the stored state stays small and never
 * copies whole payloads again at every step.
 */
export function toStoredSnapshot(state: WorkflowState, event: WorkflowEvent, sequence: number): WorkflowState {
  const carried = carriedPayloads(event);
  const tasks = state.completedTasks.map((task): TaskRecord => {
    const input = stripIfCarried(task.input, task.eventSeq, sequence, carried.input);
    const output = stripIfCarried(task.output, task.eventSeq, sequence, carried.output);
    const same = input === task.input && output === task.output;
    // Both or neither: a record is either self-contained or fully in its event.
    return same || (input && !output) || (!input && output) ? task : { ...task, input: undefined, output: undefined };
  });
  // Spreads of the message (which keep its $typeName), not create(): this runs at every step.
  return {
    ...state,
    input: stripIfCarried(state.input, state.inputEventSeq, sequence, carried.input),
    output: stripIfCarried(state.output, state.outputEventSeq, sequence, carried.output),
    completedTasks: tasks,
  };
}

/**
 * Fills the payloads a stored snapshot refers to from the events that carry them.
 * `loadEvents` returns the events at the given positions (missing ones absent).
 */
export async function hydrateSnapshot(
  state: WorkflowState,
  loadEvents: (sequences: number[]) => Promise<Map<number, WorkflowEvent>>,
): Promise<WorkflowState> {
  const wanted = new Set<number>();
  const want = (payload: Payload | undefined, seq: bigint): void => {
    if (!payload && seq > 0n) wanted.add(Number(seq));
  };
  want(state.input, state.inputEventSeq);
  want(state.output, state.outputEventSeq);
  for (const task of state.completedTasks) if (!task.input && !task.output) want(undefined, task.eventSeq);
  if (wanted.size === 0) return state;
  const events = await loadEvents([...wanted].sort((a, b) => a - b));
  const carried = (seq: bigint) => {
    const event = events.get(Number(seq));
    return event ? carriedPayloads(event) : {};
  };
  state.input ??= carried(state.inputEventSeq).input;
  state.output ??= carried(state.outputEventSeq).output;
  for (const task of state.completedTasks) {
    if (task.input || task.output || task.eventSeq === 0n) continue;
    const { input, output } = carried(task.eventSeq);
    task.input = input;
    task.output = output;
  }
  return state;
}
