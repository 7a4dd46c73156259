import { workflowError, type WorkflowProblem } from '../errors/workflow-error.js';
import { transform, type DataFlowSpec } from './data-flow.js';
import { decideTask } from './decide-task.js';
import { SYSTEM_CLOCK, type Decision, type EngineClock, type EngineEvent, type ExecutionState } from './engine-types.js';
import { resolvePointer } from '../flow/task-pointer.js';
import type { Evaluate } from './runtime-values.js';
import { activeThreads, cursorOf, viewFor } from './threads.js';
import { variablesFor } from './variables.js';

export { completeTask } from './complete-task.js';

/** Starts an execution: the `execution.started` event with the input after the workflow's `input.from`. */
export function startExecution(definition: unknown, rawInput: unknown, evaluate: Evaluate): EngineEvent {
  const spec = definition as DataFlowSpec;
  return { type: 'execution.started', input: transform(spec.input?.from, rawInput, { $context: {}, $input: rawInput }, evaluate) };
}

/**
 * The `task.failed` event of a task that failed elsewhere (an executor's error), with the
 * input it ran with. What handles the failure (an enclosing `try`'s catch or retry, else
 * failing the execution) is the next decision.
 */
export function failTask(definition: unknown, state: ExecutionState, pointer: string, error: WorkflowProblem, evaluate: Evaluate): EngineEvent {
  return { type: 'task.failed', pointer, input: taskInput(definition, viewFor(state, pointer), pointer, evaluate), error };
}

/** The input a task ran with (after its `input.from`); the current data when that cannot be evaluated. */
function taskInput(definition: unknown, view: ExecutionState, pointer: string, evaluate: Evaluate): unknown {
  const task = resolvePointer(definition, pointer) as DataFlowSpec | undefined;
  try {
    return transform(task?.input?.from, view.data, variablesFor(view, pointer, view.data), evaluate);
  } catch {
    return view.data;
  }
}

function decideThread(definition: unknown, state: ExecutionState, key: string, evaluate: Evaluate, clock: EngineClock): Decision {
  const position = cursorOf(state, key)?.position;
  if (position === undefined) {
    const spec = definition as DataFlowSpec;
    const output = transform(spec.output?.as, state.data, { $context: state.context, $workflow: { input: state.input } }, evaluate);
    return { kind: 'record', event: { type: 'execution.completed', output } };
  }
  const view = viewFor(state, position);
  try {
    return decideTask(definition, view, position, evaluate, clock);
  } catch (error) {
    // A failing expression fails the task with the DSL's expression error (a try can catch it);
    // one that fails while a failure is being handled (a catch's `when`) fails the execution.
    const problem = workflowError('expression', position, { title: 'Expression failed', detail: error instanceof Error ? error.message : String(error) }).problem;
    if (view.fault) return { kind: 'record', event: { type: 'execution.failed', error: problem } };
    return { kind: 'record', event: { type: 'task.failed', pointer: position, input: view.data, error: problem } };
  }
}

/**
 * Every step that can happen now, one per thread that can make progress: the root's, and
 * one per running fork branch. Each is independent of the others: record them (or run
 * them) in any order, re-deciding after each recorded event. Empty once the execution ended.
 */
export function decideAll(definition: unknown, state: ExecutionState, evaluate: Evaluate, clock: EngineClock = SYSTEM_CLOCK): Decision[] {
  if (state.status !== 'running') return [];
  return activeThreads(state).map((key) => decideThread(definition, state, key, evaluate, clock));
}

/**
 * The decision step: given the definition and the folded state, what to do now. Local
 * work (set, switch, entering a composite, the workflow's output) comes back as the event
 * to record; a `delay` is an event to record later (wait tasks, retries); a `run` goes to
 * an executor, whose result goes to `completeTask` or `failTask`. With several fork
 * branches running, this is the first of {@link decideAll}.
 */
export function decide(definition: unknown, state: ExecutionState, evaluate: Evaluate, clock: EngineClock = SYSTEM_CLOCK): Decision {
  return decideAll(definition, state, evaluate, clock)[0] ?? { kind: 'none' };
}
