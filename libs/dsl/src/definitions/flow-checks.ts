import type { DefinitionProblem } from './definition-error.js';
import { forEachTaskList, kindsOf, TASK_KINDS } from './task-lists.js';

const DIRECTIVES = new Set(['continue', 'exit', 'end']);

/**
 * Checks the schema does not: every task has exactly one known kind (before the schema
 * check, whose `oneOf` errors would bury that), names are unique within their list, and
 * every `then` (of a task or a switch case) names a directive or a task of the same list.
 */
export function checkTaskLists(workflow: unknown): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  forEachTaskList(workflow, (tasks) => {
    const names = new Set<string>();
    for (const task of tasks) {
      if (names.has(task.name)) problems.push({ path: task.pointer, message: `duplicate task name "${task.name}" in this list` });
      names.add(task.name);
      const kinds = kindsOf(task.definition);
      if (kinds.length !== 1) {
        const found = Object.keys(task.definition).join(', ') || 'nothing';
        problems.push({
          path: task.pointer,
          message: kinds.length === 0 ? `unknown task type: expected one of ${TASK_KINDS.join(', ')}; found ${found}` : `a task has one type, found ${kinds.join(' and ')}`,
        });
      }
    }
    for (const task of tasks) {
      const targets: [unknown, string][] = [[task.definition['then'], `${task.pointer}/then`]];
      const cases = task.definition['switch'];
      if (Array.isArray(cases)) {
        cases.forEach((item: unknown, index) => {
          for (const [name, body] of Object.entries((item ?? {}) as Record<string, unknown>)) {
            targets.push([(body as { then?: unknown } | null)?.then, `${task.pointer}/switch/${index}/${name}/then`]);
          }
        });
      }
      for (const [target, path] of targets) {
        if (typeof target === 'string' && !DIRECTIVES.has(target) && !names.has(target)) {
          problems.push({ path, message: `"then: ${target}" names no task of this list (tasks: ${[...names].join(', ')}; or continue, exit, end)` });
        }
      }
    }
  });
  return problems;
}
