import { afterTask, firstOfList, FlowError, type FlowTarget } from '../flow/task-navigation.js';
import { resolvePointer } from '../flow/task-pointer.js';
import type { EngineEvent, ExecutionState } from './engine-types.js';

function moveTo(state: ExecutionState, target: FlowTarget): Pick<ExecutionState, 'position' | 'completing'> {
  switch (target.kind) {
    case 'task':
      return { position: target.pointer, completing: false };
    case 'workflow-end':
      return { position: undefined, completing: false };
    case 'list-done':
      // The owner's body is done: its output is due next (the workflow's when the owner is '').
      return target.owner === '' ? { position: undefined, completing: false } : { position: target.owner, completing: true };
  }
}

/** The running loops minus those inside `owner` (abandoned when it is retried or its error caught). */
function loopsOutside(state: ExecutionState, owner: string): ExecutionState['loops'] {
  return Object.fromEntries(Object.entries(state.loops).filter(([pointer]) => !pointer.startsWith(`${owner}/`)));
}

function thenOf(definition: unknown, pointer: string): string | undefined {
  const then = (resolvePointer(definition, pointer) as { then?: unknown } | undefined)?.then;
  return typeof then === 'string' ? then : undefined;
}

/**
 * Folds one event into the state. Pure and deterministic: same definition, state and
 * event, same result; it never evaluates expressions (events carry evaluated values).
 */
export function applyEvent(definition: unknown, state: ExecutionState, event: EngineEvent): ExecutionState {
  const version = state.version + 1;
  switch (event.type) {
    case 'execution.started':
      return { ...state, status: 'running', input: event.input, data: event.input, ...moveTo(state, firstOfList(definition, '/do')), version };
    case 'task.started': {
      const loops = event.loop ? { ...state.loops, [event.pointer]: event.loop } : state.loops;
      // A try starting its first attempt remembers the input every retry starts from.
      const retry = state.retries[event.pointer];
      const retries = event.list === 'try' ? { ...state.retries, [event.pointer]: { attempt: retry?.attempt ?? 1, input: event.input, delayMs: 0 } } : state.retries;
      return { ...state, data: event.input, loops, retries, ...moveTo(state, firstOfList(definition, `${event.pointer}/${event.list ?? 'do'}`)), version };
    }
    case 'task.iterated': {
      const loop = state.loops[event.pointer];
      if (!loop) throw new FlowError(event.pointer, 'iterated, but no loop is running there');
      const loops = { ...state.loops, [event.pointer]: { ...loop, index: event.index } };
      return { ...state, loops, ...moveTo(state, firstOfList(definition, `${event.pointer}/do`)), version };
    }
    case 'task.retrying': {
      const loops = loopsOutside(state, event.pointer);
      const input = state.retries[event.pointer]?.input ?? state.data;
      const retries = { ...state.retries, [event.pointer]: { attempt: event.attempt, input, delayMs: event.delayMs } };
      return { ...state, loops, retries, position: event.pointer, completing: false, version };
    }
    case 'task.caught': {
      const loops = loopsOutside(state, event.pointer);
      const handler = (resolvePointer(definition, event.pointer) as { catch?: { do?: unknown } } | undefined)?.catch?.do;
      if (handler === undefined) return { ...state, loops, position: event.pointer, completing: true, version };
      const caught = { ...state.caught, [event.pointer]: { as: event.as, error: event.error } };
      return { ...state, loops, caught, ...moveTo(state, firstOfList(definition, `${event.pointer}/catch/do`)), version };
    }
    case 'task.completed': {
      const directive = event.then ?? thenOf(definition, event.pointer) ?? 'continue';
      const { [event.pointer]: _loop, ...loops } = state.loops;
      const { [event.pointer]: _caught, ...caught } = state.caught;
      const { [event.pointer]: _retry, ...retries } = state.retries;
      return { ...state, data: event.output, context: event.context, loops, caught, retries, ...moveTo(state, afterTask(definition, event.pointer, directive)), version };
    }
    case 'execution.completed':
      return { ...state, status: 'completed', output: event.output, position: undefined, completing: false, version };
    case 'execution.failed':
      return { ...state, status: 'failed', error: event.error, position: undefined, completing: false, version };
  }
}

/** Folds events from the initial state (or a snapshot) in order. */
export function foldEvents(definition: unknown, events: readonly EngineEvent[], from: ExecutionState): ExecutionState {
  return events.reduce((state, event) => applyEvent(definition, state, event), from);
}
