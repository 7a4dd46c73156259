import { parseTaskPointer } from '../flow/task-pointer.js';
import type { ExecutionState } from './engine-types.js';

/** `$runtime`: the DSL's runtime descriptor. */
export const RUNTIME_DESCRIPTOR = Object.freeze({ name: 'flunq-io', version: '0.1.0', metadata: Object.freeze({}) });

/**
 * The runtime arguments a task's expressions see: `$context`, `$input`, `$workflow`, `$task`, `$runtime`,
 * the item and index of every enclosing `for` (and of the task's own, for its `while`), and
 * the error a `catch.do` list handles.
 */
export function variablesFor(state: ExecutionState, pointer: string, input: unknown): Record<string, unknown> {
  const name = parseTaskPointer(pointer)?.name ?? '';
  const variables: Record<string, unknown> = { $context: state.context, $input: input, $workflow: { input: state.input }, $task: { name, reference: pointer }, $runtime: RUNTIME_DESCRIPTOR };
  const encloses = (owner: string): boolean => pointer === owner || pointer.startsWith(`${owner}/`);
  for (const [loopPointer, loop] of Object.entries(state.loops)) {
    if (encloses(loopPointer)) {
      variables[`$${loop.each}`] = loop.items[loop.index];
      variables[`$${loop.at}`] = loop.index;
    }
  }
  for (const [tryPointer, caught] of Object.entries(state.caught)) if (encloses(tryPointer)) variables[`$${caught.as}`] = caught.error;
  return variables;
}
