import { kindsOf } from '../definitions/task-lists.js';
import { workflowError, type WorkflowProblem } from '../errors/workflow-error.js';
import { parseTaskPointer, resolvePointer } from '../flow/task-pointer.js';
import { durationMs, parseDuration } from '../time/duration.js';
import { finishData, transform, type DataFlowSpec } from './data-flow.js';
import { handleFault } from './faults.js';
import type { Decision, EngineEvent, ExecutionState } from './engine-types.js';
import { evaluateValue, type Evaluate } from './runtime-values.js';

type Task = Readonly<Record<string, unknown>> & DataFlowSpec;

function variablesFor(state: ExecutionState, pointer: string, input: unknown): Record<string, unknown> {
  const name = parseTaskPointer(pointer)?.name ?? '';
  const variables: Record<string, unknown> = { $context: state.context, $input: input, $workflow: { input: state.input }, $task: { name, reference: pointer } };
  const encloses = (owner: string): boolean => pointer === owner || pointer.startsWith(`${owner}/`);
  // Loops enclosing the task (or the task itself, for its own `while`) bind their item and index;
  // a catch.do list binds the error it handles.
  for (const [loopPointer, loop] of Object.entries(state.loops)) {
    if (encloses(loopPointer)) {
      variables[`$${loop.each}`] = loop.items[loop.index];
      variables[`$${loop.at}`] = loop.index;
    }
  }
  for (const [tryPointer, caught] of Object.entries(state.caught)) if (encloses(tryPointer)) variables[`$${caught.as}`] = caught.error;
  return variables;
}

interface ForSpec {
  readonly each?: string;
  readonly in?: unknown;
  readonly at?: string;
}

/** Starts a `for` task: its items from `for.in`; no items completes it at once with its input. */
function startLoop(definition: unknown, state: ExecutionState, pointer: string, task: Task, input: unknown, evaluate: Evaluate): Decision {
  const spec = (task['for'] ?? {}) as ForSpec;
  const items = transform(spec.in, input, variablesFor(state, pointer, input), evaluate);
  if (!Array.isArray(items)) throw new Error(`for.in must give a list, got ${items === null ? 'null' : typeof items}`);
  const loop = { items, index: 0, each: spec.each ?? 'item', at: spec.at ?? 'index' };
  const first = variablesFor({ ...state, loops: { ...state.loops, [pointer]: loop } }, pointer, input);
  const allowed = task['while'] === undefined || transform(task['while'], input, first, evaluate) === true;
  if (items.length === 0 || !allowed) return record(completeTask(definition, state, pointer, input, input, evaluate));
  return record({ type: 'task.started', pointer, input, loop });
}

/** After a `for` body ran: the next iteration while items remain (and `while` holds), else the loop's output. */
function continueLoop(definition: unknown, state: ExecutionState, pointer: string, task: Task, evaluate: Evaluate): Decision {
  const loop = state.loops[pointer];
  const next = (loop?.index ?? Number.POSITIVE_INFINITY) + 1;
  if (loop && next < loop.items.length) {
    const variables = variablesFor({ ...state, loops: { ...state.loops, [pointer]: { ...loop, index: next } } }, pointer, state.data);
    if (task['while'] === undefined || transform(task['while'], state.data, variables, evaluate) === true) {
      return record({ type: 'task.iterated', pointer, index: next });
    }
  }
  return record(completeTask(definition, state, pointer, state.data, state.data, evaluate));
}

function record(event: EngineEvent): Decision {
  return { kind: 'record', event };
}

/** Starts an execution: the `execution.started` event with the input after the workflow's `input.from`. */
export function startExecution(definition: unknown, rawInput: unknown, evaluate: Evaluate): EngineEvent {
  const spec = definition as DataFlowSpec;
  return { type: 'execution.started', input: transform(spec.input?.from, rawInput, { $context: {}, $input: rawInput }, evaluate) };
}

/**
 * The `task.completed` event of a task that ran elsewhere (an executor), from its
 * raw output: applies the task's `output.as` and `export.as`.
 */
export function completeTask(
  definition: unknown,
  state: ExecutionState,
  pointer: string,
  input: unknown,
  rawOutput: unknown,
  evaluate: Evaluate,
): Extract<EngineEvent, { type: 'task.completed' }> {
  const task = resolvePointer(definition, pointer) as Task;
  const { output, context } = finishData(task, rawOutput, variablesFor(state, pointer, input), evaluate);
  return { type: 'task.completed', pointer, input, output, context };
}

/** The directive of the first matching case (a case without `when` always matches); undefined when none matches, so the switch task's own `then` applies. */
function switchBranch(task: Task, input: unknown, variables: Record<string, unknown>, evaluate: Evaluate): string | undefined {
  for (const item of (task['switch'] as Record<string, { when?: unknown; then?: string }>[] | undefined) ?? []) {
    const [[, body] = []] = Object.entries(item);
    if (!body) continue;
    const matches = body.when === undefined || transform(body.when, input, variables, evaluate) === true;
    if (matches) return body.then ?? 'continue';
  }
  return undefined;
}

function decideTask(definition: unknown, state: ExecutionState, pointer: string, evaluate: Evaluate): Decision {
  const task = resolvePointer(definition, pointer) as Task;
  if (state.completing) {
    if ('for' in task) return continueLoop(definition, state, pointer, task, evaluate);
    return record(completeTask(definition, state, pointer, state.data, state.data, evaluate));
  }
  const input = transform(task.input?.from, state.data, variablesFor(state, pointer, state.data), evaluate);
  const variables = variablesFor(state, pointer, input);
  const [kind] = kindsOf(task);
  switch (kind) {
    case 'set':
      return record(completeTask(definition, state, pointer, input, evaluateValue(task['set'], input, variables, evaluate), evaluate));
    case 'do':
      return record({ type: 'task.started', pointer, input });
    case 'try': {
      const retry = state.retries[pointer];
      const started: EngineEvent = { type: 'task.started', pointer, input: retry?.input ?? input, list: 'try' };
      return retry && retry.attempt > 1 ? { kind: 'delay', durationMs: retry.delayMs, event: started } : record(started);
    }
    case 'for':
      return startLoop(definition, state, pointer, task, input, evaluate);
    case 'switch': {
      const then = switchBranch(task, input, variables, evaluate);
      const completed = completeTask(definition, state, pointer, input, input, evaluate);
      return record(then === undefined ? completed : { ...completed, then });
    }
    case 'wait':
      return { kind: 'delay', durationMs: durationMs(parseDuration(task['wait'])), event: completeTask(definition, state, pointer, input, input, evaluate) };
    case 'call':
      return { kind: 'run', pointer, task: evaluateValue(task, input, variables, evaluate) as Task, input };
    case 'raise': {
      const raised = (task['raise'] as { error?: { type?: string; status?: number; title?: string; detail?: string } } | undefined)?.error ?? {};
      const error = { type: raised.type ?? 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime', status: raised.status ?? 500, instance: pointer, ...(raised.title ? { title: raised.title } : {}), ...(raised.detail ? { detail: raised.detail } : {}) };
      return record(handleFault(definition, state, pointer, error, variables, evaluate));
    }
    default:
      return record({ type: 'execution.failed', error: workflowError('runtime', pointer, { title: 'Task type not supported yet', detail: `flunq-io does not run "${kind ?? 'unknown'}" tasks yet` }).problem });
  }
}

/**
 * The event for a task that failed elsewhere (an executor's error): caught by an enclosing
 * `try` when its `catch` takes it, else the execution fails.
 */
export function failTask(definition: unknown, state: ExecutionState, pointer: string, error: WorkflowProblem, evaluate: Evaluate): EngineEvent {
  return handleFault(definition, state, pointer, error, variablesFor(state, pointer, state.data), evaluate);
}

/**
 * The decision step: given the definition and the folded state, what to do now. Local
 * work (set, switch, entering a composite, the workflow's output) comes back as the event
 * to record; a `delay` is an event to record later (wait tasks, retries); a `run` goes to
 * an executor, whose result goes to `completeTask` or `failTask`.
 */
export function decide(definition: unknown, state: ExecutionState, evaluate: Evaluate): Decision {
  if (state.status !== 'running') return { kind: 'none' };
  if (state.position === undefined) {
    const spec = definition as DataFlowSpec;
    return record({ type: 'execution.completed', output: transform(spec.output?.as, state.data, { $context: state.context, $workflow: { input: state.input } }, evaluate) });
  }
  try {
    return decideTask(definition, state, state.position, evaluate);
  } catch (error) {
    // An expression that fails fails the execution with the DSL's expression error, naming the task.
    const detail = error instanceof Error ? error.message : String(error);
    return record({ type: 'execution.failed', error: workflowError('expression', state.position, { title: 'Expression failed', detail }).problem });
  }
}
