import type { Cursor, ExecutionState } from './engine-types.js';

/**
 * Threads of an execution. The workflow's own task list runs on the root thread (the
 * `position`, `completing` and `data` of the state); each branch of a running `fork` is a
 * thread of its own, keyed by the pointer of its branch task
 * (`/do/1/race/fork/branches/0/fast`). A task belongs to the innermost branch whose
 * pointer prefixes its own.
 */

/** The key of the root thread. */
export const ROOT_THREAD = '';

const BRANCH = /\/fork\/branches\/\d+\/[^/]+/g;

/** The thread that runs the task at `pointer`: the innermost enclosing fork branch, or the root. */
export function threadOf(pointer: string): string {
  if (!pointer.includes('/fork/branches/')) return ROOT_THREAD;
  let end = 0;
  for (const match of pointer.matchAll(BRANCH)) end = match.index + match[0].length;
  return pointer.slice(0, end);
}

/** True when `pointer` is the task of a fork branch itself (the first task of its thread). */
export function isBranchTask(pointer: string): boolean {
  return pointer !== ROOT_THREAD && threadOf(pointer) === pointer;
}

/** Where the thread `key` stands; undefined when no such thread is running. */
export function cursorOf(state: ExecutionState, key: string): Cursor | undefined {
  if (key === ROOT_THREAD) {
    return { position: state.position, completing: state.completing, data: state.data, ...(state.dispatch ? { dispatch: state.dispatch } : {}), ...(state.fault ? { fault: state.fault } : {}) };
  }
  return state.branches[key];
}

/** The state with the thread `key` moved to `cursor`. */
export function withCursor(state: ExecutionState, key: string, cursor: Cursor): ExecutionState {
  if (key === ROOT_THREAD) {
    const { dispatch, fault, ...rest } = cursor;
    const { dispatch: _dispatch, fault: _fault, ...base } = state;
    return { ...base, ...rest, ...(dispatch === undefined ? {} : { dispatch }), ...(fault === undefined ? {} : { fault }) };
  }
  return { ...state, branches: { ...state.branches, [key]: cursor } };
}

/**
 * The state as the thread running `pointer` sees it: its position, completion flag and
 * current data in place of the root's. Decisions and faults are computed on this view.
 */
export function viewFor(state: ExecutionState, pointer: string): ExecutionState {
  const key = threadOf(pointer);
  const cursor = cursorOf(state, key);
  return key === ROOT_THREAD || !cursor ? state : withCursor(state, ROOT_THREAD, cursor);
}

/** Keys of the threads that can make progress: not waiting on a fork, not finished. */
export function activeThreads(state: ExecutionState): string[] {
  const keys = [ROOT_THREAD, ...Object.keys(state.branches)];
  return keys.filter((key) => {
    const cursor = cursorOf(state, key);
    if (!cursor) return false;
    if (key !== ROOT_THREAD && cursor.position === undefined) return false;
    return cursor.position === undefined || !(cursor.position in state.forks) || cursor.completing;
  });
}

/** Keeps the entries of a pointer-keyed map that are not inside `owner`. */
export function outside<T>(map: Readonly<Record<string, T>>, owner: string): Record<string, T> {
  return Object.fromEntries(Object.entries(map).filter(([pointer]) => !pointer.startsWith(`${owner}/`)));
}

/**
 * Abandons everything running inside `owner` (a `try` being retried or caught, a fork whose
 * race is won): its loops, retries, caught errors, forks and branch threads.
 */
export function abandonInside(state: ExecutionState, owner: string): ExecutionState {
  return {
    ...state,
    loops: outside(state.loops, owner),
    retries: outside(state.retries, owner),
    caught: outside(state.caught, owner),
    forks: outside(state.forks, owner),
    branches: outside(state.branches, owner),
  };
}
