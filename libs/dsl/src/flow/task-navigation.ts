import { ownerOfList, parseTaskPointer, resolvePointer, taskPointer } from './task-pointer.js';

/** Where flow goes after a task: the next task, the end of its list, or the end of the workflow. */
export type FlowTarget =
  | { readonly kind: 'task'; readonly pointer: string }
  /** The list ran out (or `exit`): its owner (a composite task, or `''` for the workflow) completes. */
  | { readonly kind: 'list-done'; readonly owner: string; readonly list: string }
  | { readonly kind: 'workflow-end' };

/** Why navigation failed: a pointer that is not a task of this definition, or a `then` to no sibling. */
export class FlowError extends Error {
  readonly code = 'FLOW_ERROR';

  constructor(
    readonly pointer: string,
    reason: string,
  ) {
    super(`${pointer || '/'}: ${reason}`);
    this.name = 'FlowError';
  }
}

function entryAt(list: unknown[], index: number): [string, unknown] | undefined {
  const item = list[index];
  if (item === null || typeof item !== 'object') return undefined;
  return Object.entries(item)[0];
}

/** The first task of the list at `list`, or its end when it is empty. */
export function firstOfList(definition: unknown, list: string): FlowTarget {
  const tasks = resolvePointer(definition, list);
  if (!Array.isArray(tasks)) throw new FlowError(list, 'is not a task list');
  const entry = entryAt(tasks, 0);
  return entry ? { kind: 'task', pointer: taskPointer(list, 0, entry[0]) } : { kind: 'list-done', owner: ownerOfList(list), list };
}

/**
 * Applies a flow directive after the task at `pointer`: `continue` (the default) goes to
 * the next task of the same list, `exit` ends the list (its owner completes), `end` ends the
 * workflow, any other value jumps to the task of that name in the same list.
 */
export function afterTask(definition: unknown, pointer: string, directive = 'continue'): FlowTarget {
  const address = parseTaskPointer(pointer);
  const tasks = address && resolvePointer(definition, address.list);
  if (!address || !Array.isArray(tasks) || entryAt(tasks, address.index)?.[0] !== address.name) {
    throw new FlowError(pointer, 'is not a task of this definition');
  }
  const listDone: FlowTarget = { kind: 'list-done', owner: ownerOfList(address.list), list: address.list };
  switch (directive) {
    case 'end':
      return { kind: 'workflow-end' };
    case 'exit':
      return listDone;
    case 'continue': {
      const next = entryAt(tasks, address.index + 1);
      return next ? { kind: 'task', pointer: taskPointer(address.list, address.index + 1, next[0]) } : listDone;
    }
    default: {
      const index = tasks.findIndex((_, i) => entryAt(tasks, i)?.[0] === directive);
      if (index < 0) throw new FlowError(`${pointer}/then`, `"then: ${directive}" names no task of this list`);
      return { kind: 'task', pointer: taskPointer(address.list, index, directive) };
    }
  }
}
