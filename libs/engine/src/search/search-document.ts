import type { QueryDocument } from '@flunq/query';
import { ExecutionStatus, type WorkflowState } from '@flunq/proto-types';
import { concealRedacted, type PayloadSerializer } from '@flunq/serializer';

/**
 * What queries run over for one execution (`QueryDocument` of `@flunq/query`), from a state
 * whose payloads are filled in (see `withAllTasks`). A task that ran several times (a loop,
 * retries) holds the list of its inputs and outputs: a query matches any of them. Redacted
 * values are `[REDACTED]`: the index never holds a secret.
 */
export function searchDocument(state: WorkflowState, serializer: PayloadSerializer): QueryDocument {
  const value = (payload: Parameters<PayloadSerializer['fromPayload']>[0], what: string): unknown => concealRedacted(serializer.fromPayload(payload, what, { reveal: false }));
  const runs = new Map<string, { input: unknown[]; output: unknown[] }>();
  for (const task of state.completedTasks) {
    const entry = runs.get(task.taskName) ?? { input: [], output: [] };
    entry.input.push(value(task.input, `${task.taskName}.input`));
    if (task.output) entry.output.push(value(task.output, `${task.taskName}.output`));
    runs.set(task.taskName, entry);
  }
  const one = (values: unknown[]): unknown => (values.length === 1 ? values[0] : values);
  const tasks = Object.fromEntries([...runs].map(([name, r]) => [name, { input: one(r.input), ...(r.output.length ? { output: one(r.output) } : {}) }]));
  return {
    status: ExecutionStatus[state.status] ?? 'UNSPECIFIED',
    workflow: state.workflowId,
    created: Number(state.createdAtMs),
    ...(state.input ? { input: value(state.input, 'input') } : {}),
    ...(state.output ? { output: value(state.output, 'output') } : {}),
    ...(state.variables ? { variables: value(state.variables, 'variables') } : {}),
    tasks,
  };
}
