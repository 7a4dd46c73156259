/**
 * Tasks are addressed by JSON pointers into the definition, as the DSL's error `instance`
 * does: `/do/1/fetchUser` is the task named fetchUser, second in the top-level list;
 * `/do/0/loop/do/2/inner` a task inside the `for` task loop.
 */

/** The parts of a task pointer: the list it sits in, its index and its name. */
export interface TaskAddress {
  /** Pointer of the list, e.g. `/do` or `/do/0/loop/do`. */
  readonly list: string;
  readonly index: number;
  readonly name: string;
}

const escape = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');
const unescape = (segment: string): string => segment.replaceAll('~1', '/').replaceAll('~0', '~');

/** Pointer of the task `name` at `index` of the list at `list`. */
export function taskPointer(list: string, index: number, name: string): string {
  return `${list}/${index}/${escape(name)}`;
}

/** Splits a task pointer into list, index and name; undefined when it is not one. */
export function parseTaskPointer(pointer: string): TaskAddress | undefined {
  const match = /^(.*)\/(\d+)\/([^/]+)$/.exec(pointer);
  if (!match) return undefined;
  return { list: match[1] ?? '', index: Number(match[2]), name: unescape(match[3] ?? '') };
}

/**
 * The task that owns a list: `/do/0/loop` for `/do/0/loop/do`, `/do/2/race` for
 * `/do/2/race/fork/branches`, `/do/1/guard` for `/do/1/guard/catch/do`; `''` (the
 * workflow) for the top-level `/do`.
 */
export function ownerOfList(list: string): string {
  if (list === '/do') return '';
  return list.replace(/\/(do|try|fork\/branches|catch\/do)$/, '');
}

const resolved = new WeakMap<object, Map<string, unknown>>();

/**
 * Resolves a JSON pointer in a definition; undefined when nothing is there. Results are
 * memoized per definition object (definitions are never mutated once parsed).
 */
export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  if (root === null || typeof root !== 'object') return undefined;
  let memo = resolved.get(root);
  if (!memo) resolved.set(root, (memo = new Map()));
  if (memo.has(pointer)) return memo.get(pointer);
  const node = walk(root, pointer);
  memo.set(pointer, node);
  return node;
}

function walk(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const segment of pointer.slice(1).split('/').map(unescape)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
