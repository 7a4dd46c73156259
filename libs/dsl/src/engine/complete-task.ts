import { resolvePointer } from '../flow/task-pointer.js';
import { finishData, type DataFlowSpec } from './data-flow.js';
import type { EngineEvent, ExecutionState } from './engine-types.js';
import type { Evaluate } from './runtime-values.js';
import { viewFor } from './threads.js';
import { variablesFor } from './variables.js';

/**
 * The `task.completed` event of a task from its raw output (an executor's, or a local
 * task's): applies the task's `output.as` and `export.as`.
 */
export function completeTask(
  definition: unknown,
  state: ExecutionState,
  pointer: string,
  input: unknown,
  rawOutput: unknown,
  evaluate: Evaluate,
): Extract<EngineEvent, { type: 'task.completed' }> {
  const task = resolvePointer(definition, pointer) as DataFlowSpec;
  const { output, context } = finishData(task, rawOutput, variablesFor(viewFor(state, pointer), pointer, input), evaluate);
  return { type: 'task.completed', pointer, input, output, context };
}
