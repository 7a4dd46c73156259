import { completeTask } from './complete-task.js';
import { transform } from './data-flow.js';
import type { EngineEvent, ExecutionState } from './engine-types.js';
import type { Evaluate } from './runtime-values.js';
import { variablesFor } from './variables.js';

interface ForSpec {
  readonly each?: string;
  readonly in?: unknown;
  readonly at?: string;
}

type Task = Readonly<Record<string, unknown>>;

/** Starts a `for` task: its items from `for.in`; no items (or a false `while`) completes it at once with its input. */
export function startLoop(definition: unknown, state: ExecutionState, pointer: string, task: Task, input: unknown, evaluate: Evaluate): EngineEvent {
  const spec = (task['for'] ?? {}) as ForSpec;
  const items = transform(spec.in, input, variablesFor(state, pointer, input), evaluate);
  if (!Array.isArray(items)) throw new Error(`for.in must give a list, got ${items === null ? 'null' : typeof items}`);
  const loop = { items, index: 0, each: spec.each ?? 'item', at: spec.at ?? 'index' };
  const first = variablesFor({ ...state, loops: { ...state.loops, [pointer]: loop } }, pointer, input);
  const allowed = task['while'] === undefined || transform(task['while'], input, first, evaluate) === true;
  if (items.length === 0 || !allowed) return completeTask(definition, state, pointer, input, input, evaluate);
  return { type: 'task.started', pointer, input, loop };
}

/** After a `for` body ran: the next iteration while items remain (and `while` holds), else the loop's output. */
export function continueLoop(definition: unknown, state: ExecutionState, pointer: string, task: Task, evaluate: Evaluate): EngineEvent {
  const loop = state.loops[pointer];
  const next = (loop?.index ?? Number.POSITIVE_INFINITY) + 1;
  if (loop && next < loop.items.length) {
    const variables = variablesFor({ ...state, loops: { ...state.loops, [pointer]: { ...loop, index: next } } }, pointer, state.data);
    if (task['while'] === undefined || transform(task['while'], state.data, variables, evaluate) === true) {
      return { type: 'task.iterated', pointer, index: next };
    }
  }
  return completeTask(definition, state, pointer, state.data, state.data, evaluate);
}
