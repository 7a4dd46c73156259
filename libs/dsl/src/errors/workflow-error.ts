/** The DSL's standard error types, with their default status codes. */
export const STANDARD_ERROR_TYPES = {
  configuration: 400,
  validation: 400,
  expression: 400,
  authentication: 401,
  authorization: 403,
  timeout: 408,
  communication: 500,
  runtime: 500,
} as const;

/** A name of {@link STANDARD_ERROR_TYPES}. */
export type StandardErrorType = keyof typeof STANDARD_ERROR_TYPES;

/** The URI of a standard error type, as the DSL 1.0 spec writes it. */
export function standardErrorUri(type: StandardErrorType): string {
  return `https://serverlessworkflow.io/spec/1.0.0/errors/${type}`;
}

/** An error in the DSL's RFC 7807 shape (what `raise` raises and `catch` filters). */
export interface WorkflowProblem {
  readonly type: string;
  readonly status: number;
  /** JSON pointer of the component the error comes from, e.g. `/do/1/fetchUser`. */
  readonly instance: string;
  readonly title?: string;
  readonly detail?: string;
}

/** A workflow-level error: carries the RFC 7807 problem the workflow sees as `$error`. */
export class WorkflowError extends Error {
  readonly code = 'WORKFLOW_ERROR';

  constructor(
    readonly problem: WorkflowProblem,
    options?: { cause?: unknown },
  ) {
    super(`${problem.title ?? problem.type} at ${problem.instance || '/'}${problem.detail ? `: ${problem.detail}` : ''}`, options);
    this.name = 'WorkflowError';
  }
}

/** Builds a standard error with its default status (overridable), e.g. `workflowError('timeout', '/do/0/wait', ...)`. */
export function workflowError(
  type: StandardErrorType,
  instance: string,
  details: { title?: string; detail?: string; status?: number } = {},
  options?: { cause?: unknown },
): WorkflowError {
  const problem: WorkflowProblem = {
    type: standardErrorUri(type),
    status: details.status ?? STANDARD_ERROR_TYPES[type],
    instance,
    ...(details.title === undefined ? {} : { title: details.title }),
    ...(details.detail === undefined ? {} : { detail: details.detail }),
  };
  return new WorkflowError(problem, options);
}

// The standard types have been published under several URIs (spec, conformance kit, the
// project's new home); all of them end in `.../errors/<name>` or `.../errors/types/<name>`.
const STANDARD_URI = /^https?:\/\/[^/]+(?:\/[^/]+)*\/errors\/(?:types\/)?([a-z]+)$/;

/**
 * True when an error's type matches a `catch.errors.with.type` filter: equal URIs, or the
 * same standard type named through any of its published URIs.
 */
export function errorTypeMatches(actual: string, filter: string): boolean {
  if (actual === filter) return true;
  const a = STANDARD_URI.exec(actual)?.[1];
  const f = STANDARD_URI.exec(filter)?.[1];
  return a !== undefined && a === f && a in STANDARD_ERROR_TYPES;
}
