import type { WorkflowProblem } from '@flunq/dsl';
import type { TaskError } from '@flunq/proto-types';

/** A DSL error (RFC 7807) as the stored `TaskError`. */
export function toTaskError(problem: WorkflowProblem, retryable = false): TaskError {
  return {
    $typeName: 'flunq.v1.TaskError',
    type: problem.type,
    status: problem.status,
    title: problem.title ?? '',
    detail: problem.detail ?? '',
    instance: problem.instance,
    retryable,
  };
}

/** A stored `TaskError` as the DSL error it was (empty title and detail are absent). */
export function fromTaskError(error: TaskError | undefined): WorkflowProblem {
  if (!error) return { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime', status: 500, instance: '' };
  return {
    type: error.type,
    status: error.status,
    instance: error.instance,
    ...(error.title ? { title: error.title } : {}),
    ...(error.detail ? { detail: error.detail } : {}),
  };
}
