import type { Payload, WorkflowEvent, WorkflowState } from '@flunq/proto-types';

/** A function applied to each payload of a record: returns it, or a replacement (absent stays absent). */
export type PayloadMapper = <T extends Payload | undefined>(payload: T) => T;

/** The event with `recode` applied to every payload it carries (its data's and its engine detail). */
export function mapEventPayloads(event: WorkflowEvent, recode: PayloadMapper): WorkflowEvent {
  const { data } = event;
  let next: WorkflowEvent['data'] = data;
  switch (data.case) {
    case 'executionStarted':
      next = { case: data.case, value: { ...data.value, input: recode(data.value.input) } };
      break;
    case 'taskStarted':
    case 'taskFailed':
      next = { ...data, value: { ...data.value, inputData: recode(data.value.inputData) } } as WorkflowEvent['data'];
      break;
    case 'taskCompleted':
      next = { case: data.case, value: { ...data.value, inputData: recode(data.value.inputData), outputData: recode(data.value.outputData) } };
      break;
    case 'executionCompleted':
      next = { case: data.case, value: { ...data.value, output: recode(data.value.output) } };
      break;
    case 'other':
      next = { case: data.case, value: recode(data.value) };
      break;
    default:
      break;
  }
  return { ...event, engineDetail: recode(event.engineDetail), data: next };
}

/** The state with `recode` applied to every payload it holds inline (input, output, variables, task records). */
export function mapStatePayloads(state: WorkflowState, recode: PayloadMapper): WorkflowState {
  const completedTasks = state.completedTasks.map((task) => ({ ...task, input: recode(task.input), output: recode(task.output) }));
  return { ...state, input: recode(state.input), output: recode(state.output), variables: recode(state.variables), completedTasks };
}


/** Whether any payload the event carries satisfies `test` (no copies made). */
export function anyEventPayload(event: WorkflowEvent, test: (payload: Payload) => boolean): boolean {
  const { data } = event;
  const carried =
    data.case === 'executionStarted' ? [data.value.input]
    : data.case === 'taskStarted' || data.case === 'taskFailed' ? [data.value.inputData]
    : data.case === 'taskCompleted' ? [data.value.inputData, data.value.outputData]
    : data.case === 'executionCompleted' ? [data.value.output]
    : data.case === 'other' ? [data.value]
    : [];
  return [...carried, event.engineDetail].some((p) => p !== undefined && test(p));
}

/** Whether any payload the state holds inline satisfies `test` (no copies made). */
export function anyStatePayload(state: WorkflowState, test: (payload: Payload) => boolean): boolean {
  const hit = (p: Payload | undefined): boolean => p !== undefined && test(p);
  return hit(state.input) || hit(state.output) || hit(state.variables) || state.completedTasks.some((t) => hit(t.input) || hit(t.output));
}
