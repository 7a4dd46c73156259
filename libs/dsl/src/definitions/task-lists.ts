/** The task kinds of DSL 1.0: a task definition holds exactly one of these keys. */
export const TASK_KINDS = ['call', 'do', 'emit', 'for', 'fork', 'listen', 'raise', 'run', 'set', 'switch', 'try', 'wait'] as const;

/** One of {@link TASK_KINDS}. */
export type TaskKind = (typeof TASK_KINDS)[number];

/** A named task as found in a task list: `{ <name>: <definition> }`. */
export interface TaskEntry {
  readonly name: string;
  readonly definition: Record<string, unknown>;
  /** JSON pointer of the definition, e.g. `/do/1/fetchUser`. */
  readonly pointer: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function entries(list: unknown, pointer: string): TaskEntry[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, index) => {
    if (!isObject(item)) return [];
    return Object.entries(item)
      .filter((pair): pair is [string, Record<string, unknown>] => isObject(pair[1]))
      .map(([name, definition]) => ({ name, definition, pointer: `${pointer}/${index}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}` }));
  });
}

/** The nested task lists of one task: `do`, `for`'s `do`, fork branches, `try` and its `catch.do`. */
function nestedLists(task: TaskEntry): [unknown, string][] {
  const d = task.definition;
  const fork = isObject(d['fork']) ? d['fork'] : undefined;
  const katch = isObject(d['catch']) ? d['catch'] : undefined;
  return [
    [d['do'], `${task.pointer}/do`],
    [fork?.['branches'], `${task.pointer}/fork/branches`],
    [d['try'], `${task.pointer}/try`],
    [katch?.['do'], `${task.pointer}/catch/do`],
  ];
}

/**
 * Visits every task list of a definition (the top-level `do` and all nested ones), with the
 * tasks it holds, depth first. Tolerates any shape: it runs before schema validation.
 */
export function forEachTaskList(workflow: unknown, visit: (tasks: TaskEntry[], pointer: string) => void): void {
  if (!isObject(workflow)) return;
  const pending: [unknown, string][] = [[workflow['do'], '/do']];
  while (pending.length) {
    const [list, pointer] = pending.pop()!;
    const tasks = entries(list, pointer);
    visit(tasks, pointer);
    for (const task of tasks) pending.push(...nestedLists(task));
  }
}

/** The kind keys a task definition holds (exactly one for a valid task; a `for` task's `do` is its body). */
export function kindsOf(definition: Record<string, unknown>): TaskKind[] {
  const kinds = TASK_KINDS.filter((kind) => kind in definition);
  return kinds.includes('for') ? kinds.filter((kind) => kind !== 'do') : kinds;
}
