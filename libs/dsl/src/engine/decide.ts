import { workflowError, type WorkflowProblem } from '../errors/workflow-error.js';
import { transform, type DataFlowSpec } from './data-flow.js';
import { decideTask } from './decide-task.js';
import { SYSTEM_CLOCK, type Decision, type EngineClock, type EngineEvent, type ExecutionState } from './engine-types.js';
import { handleFault } from './faults.js';
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
 * The event for a task that failed elsewhere (an executor's error): caught by an enclosing
 * `try` when its `catch` takes it (possibly as a retry), else the execution fails.
 */
export function failTask(definition: unknown, state: ExecutionState, pointer: string, error: WorkflowProblem, evaluate: Evaluate, clock: EngineClock = SYSTEM_CLOCK): EngineEvent {
  const view = viewFor(state, pointer);
  return handleFault(definition, view, pointer, error, variablesFor(view, pointer, view.data), evaluate, clock);
}

function decideThread(definition: unknown, state: ExecutionState, key: string, evaluate: Evaluate, clock: EngineClock): Decision {
  const position = cursorOf(state, key)?.position;
  if (position === undefined) {
    const spec = definition as DataFlowSpec;
    const output = transform(spec.output?.as, state.data, { $context: state.context, $workflow: { input: state.input } }, evaluate);
    return { kind: 'record', event: { type: 'execution.completed', output } };
  }
  try {
    return decideTask(definition, viewFor(state, position), position, evaluate, clock);
  } catch (error) {
    // An expression that fails fails the execution with the DSL's expression error, naming the task.
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'record', event: { type: 'execution.failed', error: workflowError('expression', position, { title: 'Expression failed', detail }).problem } };
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
