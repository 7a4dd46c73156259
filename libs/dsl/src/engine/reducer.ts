import { afterTask, firstOfList, FlowError, type FlowTarget } from '../flow/task-navigation.js';
import { ownerOfList, parseTaskPointer, resolvePointer } from '../flow/task-pointer.js';
import type { Cursor, EngineEvent, ExecutionState } from './engine-types.js';
import { abandonInside, cursorOf, isBranchTask, ROOT_THREAD, threadOf, withCursor } from './threads.js';

/** Moves the thread `key` to `target` with `data`; `end` from any thread ends the workflow. */
function move(state: ExecutionState, key: string, data: unknown, target: FlowTarget): ExecutionState {
  switch (target.kind) {
    case 'task':
      return withCursor(state, key, { position: target.pointer, completing: false, data });
    case 'workflow-end':
      return withCursor({ ...state, forks: {}, branches: {} }, ROOT_THREAD, { position: undefined, completing: false, data });
    case 'list-done':
      // The owner's body is done: its output is due next (the workflow's when the owner is '').
      return withCursor(state, key, { position: target.owner === '' ? undefined : target.owner, completing: target.owner !== '', data });
  }
}

/** The cursor of the thread that runs `pointer`; a stale event (its thread is gone) is refused. */
function threadFor(state: ExecutionState, pointer: string): { key: string; cursor: Cursor } {
  const key = threadOf(pointer);
  const cursor = cursorOf(state, key);
  if (!cursor) throw new FlowError(pointer, 'belongs to a fork branch that is not running');
  return { key, cursor };
}

function thenOf(definition: unknown, pointer: string): string | undefined {
  const then = (resolvePointer(definition, pointer) as { then?: unknown } | undefined)?.then;
  return typeof then === 'string' ? then : undefined;
}

/** A fork starts: one thread per branch, each at its branch task with the fork's input. */
function startFork(definition: unknown, state: ExecutionState, pointer: string, input: unknown): ExecutionState {
  const fork = (resolvePointer(definition, pointer) as { fork?: { compete?: boolean; branches?: unknown[] } } | undefined)?.fork ?? {};
  const list = `${pointer}/fork/branches`;
  const branches = (fork.branches ?? []).map((item, index) => `${list}/${index}/${Object.keys(item as object)[0] ?? ''}`);
  const threads = Object.fromEntries(branches.map((branch) => [branch, { position: branch, completing: false, data: input }]));
  return { ...state, forks: { ...state.forks, [pointer]: { compete: fork.compete === true, branches } }, branches: { ...state.branches, ...threads } };
}

/**
 * A branch finished with `output`. Its fork completes when every branch has (output: their
 * outputs in branch order) or, with `compete`, at once (output: this branch's; the others
 * are abandoned).
 */
function finishBranch(state: ExecutionState, branch: string, output: unknown): ExecutionState {
  const fork = ownerOfList(parseTaskPointer(branch)?.list ?? '');
  const scope = state.forks[fork];
  if (!scope) throw new FlowError(branch, 'finished, but its fork is not running');
  const done = withCursor(state, branch, { position: undefined, completing: false, data: output });
  const finished = scope.compete || scope.branches.every((b) => done.branches[b]?.position === undefined);
  if (!finished) return done;
  const forkOutput = scope.compete ? output : scope.branches.map((b) => done.branches[b]?.data ?? null);
  const { [fork]: _scope, ...forks } = done.forks;
  return withCursor({ ...abandonInside(done, fork), forks }, threadOf(fork), { position: fork, completing: true, data: forkOutput });
}

function completed(definition: unknown, state: ExecutionState, event: Extract<EngineEvent, { type: 'task.completed' }>): ExecutionState {
  const { key } = threadFor(state, event.pointer);
  const directive = event.then ?? thenOf(definition, event.pointer) ?? 'continue';
  const { [event.pointer]: _loop, ...loops } = state.loops;
  const { [event.pointer]: _caught, ...caught } = state.caught;
  const { [event.pointer]: _retry, ...retries } = state.retries;
  const next = { ...state, context: event.context, loops, caught, retries };
  if (isBranchTask(event.pointer) && directive !== 'end') return finishBranch(next, event.pointer, event.output);
  return move(next, key, event.output, afterTask(definition, event.pointer, directive));
}

function started(definition: unknown, state: ExecutionState, event: Extract<EngineEvent, { type: 'task.started' }>): ExecutionState {
  const { key } = threadFor(state, event.pointer);
  const loops = event.loop ? { ...state.loops, [event.pointer]: event.loop } : state.loops;
  // A try starting its first attempt remembers the input every retry starts from, and when it began.
  const retry = state.retries[event.pointer];
  const since = retry?.since ?? event.at;
  const retries =
    event.list === 'try'
      ? { ...state.retries, [event.pointer]: { attempt: retry?.attempt ?? 1, input: event.input, delayMs: 0, ...(since === undefined ? {} : { since }) } }
      : state.retries;
  const next = { ...state, loops, retries };
  if (event.list === 'fork') return startFork(definition, withCursor(next, key, { position: event.pointer, completing: false, data: event.input }), event.pointer, event.input);
  return move(next, key, event.input, firstOfList(definition, `${event.pointer}/${event.list ?? 'do'}`));
}

function fold(definition: unknown, state: ExecutionState, event: EngineEvent): ExecutionState {
  switch (event.type) {
    case 'execution.started':
      return move({ ...state, status: 'running', input: event.input }, ROOT_THREAD, event.input, firstOfList(definition, '/do'));
    case 'task.started':
      return started(definition, state, event);
    case 'task.dispatched': {
      const { key, cursor } = threadFor(state, event.pointer);
      if (cursor.position !== event.pointer) throw new FlowError(event.pointer, `dispatched, but its thread is at ${cursor.position ?? 'its end'}`);
      return withCursor(state, key, { ...cursor, dispatch: { version: state.version + 1, ...(event.at === undefined ? {} : { at: event.at }) } });
    }
    case 'task.failed': {
      const { key, cursor } = threadFor(state, event.pointer);
      if (cursor.position !== event.pointer) throw new FlowError(event.pointer, `failed, but its thread is at ${cursor.position ?? 'its end'}`);
      return withCursor(state, key, { position: cursor.position, completing: false, data: cursor.data, fault: event.error });
    }
    case 'task.iterated': {
      const loop = state.loops[event.pointer];
      if (!loop) throw new FlowError(event.pointer, 'iterated, but no loop is running there');
      const { key, cursor } = threadFor(state, event.pointer);
      const loops = { ...state.loops, [event.pointer]: { ...loop, index: event.index } };
      return move({ ...state, loops }, key, cursor.data, firstOfList(definition, `${event.pointer}/do`));
    }
    case 'task.retrying': {
      const { key, cursor } = threadFor(state, event.pointer);
      const retry = state.retries[event.pointer];
      const input = retry?.input ?? cursor.data;
      const next = abandonInside(state, event.pointer);
      const retries = {
        ...next.retries,
        [event.pointer]: {
          attempt: event.attempt,
          input,
          delayMs: event.delayMs,
          ...(retry?.since === undefined ? {} : { since: retry.since }),
          ...(event.at === undefined ? {} : { dueAt: event.at + event.delayMs }),
        },
      };
      return withCursor({ ...next, retries }, key, { position: event.pointer, completing: false, data: cursor.data });
    }
    case 'task.caught': {
      const { key, cursor } = threadFor(state, event.pointer);
      const next = abandonInside(state, event.pointer);
      const handler = (resolvePointer(definition, event.pointer) as { catch?: { do?: unknown } } | undefined)?.catch?.do;
      if (handler === undefined) return withCursor(next, key, { position: event.pointer, completing: true, data: cursor.data });
      const caught = { ...next.caught, [event.pointer]: { as: event.as, error: event.error } };
      return move({ ...next, caught }, key, cursor.data, firstOfList(definition, `${event.pointer}/catch/do`));
    }
    case 'task.completed':
      return completed(definition, state, event);
    case 'execution.completed':
      return { ...withCursor(state, ROOT_THREAD, { position: undefined, completing: false, data: state.data }), status: 'completed', output: event.output, forks: {}, branches: {} };
    case 'execution.failed':
      return { ...withCursor(state, ROOT_THREAD, { position: undefined, completing: false, data: state.data }), status: 'failed', error: event.error, forks: {}, branches: {} };
    case 'execution.cancelled':
      return { ...withCursor(state, ROOT_THREAD, { position: undefined, completing: false, data: state.data }), status: 'cancelled', forks: {}, branches: {} };
  }
}

/**
 * Folds one event into the state. Pure and deterministic: same definition, state and
 * event, same result; it never evaluates expressions (events carry evaluated values).
 * An event that does not fit the state (a task of a branch no longer running, a loop
 * that is not running) throws {@link FlowError} and changes nothing.
 */
export function applyEvent(definition: unknown, state: ExecutionState, event: EngineEvent): ExecutionState {
  return { ...fold(definition, state, event), version: state.version + 1 };
}

/** Folds events from the initial state (or a snapshot) in order. */
export function foldEvents(definition: unknown, events: readonly EngineEvent[], from: ExecutionState): ExecutionState {
  return events.reduce((state, event) => applyEvent(definition, state, event), from);
}
