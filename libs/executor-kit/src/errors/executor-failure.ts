import { ERROR_TYPE_STATUS, errorTypeNameOf, resolveErrorType, type ErrorTypeName } from './error-types.js';

/** What a task handler says about a failure; see {@link ExecutorFailure}. */
export interface ExecutorFailureInit {
  /** A standard DSL error type name (`communication`, `validation`, ...) or a custom type URI. */
  readonly type: ErrorTypeName | (string & {});
  /** HTTP-like status. Default: the standard type's default status, else 500. */
  readonly status?: number;
  /** Short summary. Default: the type name. */
  readonly title?: string;
  /** Explanation of this occurrence. */
  readonly detail?: string;
  /** Whether trying again may succeed (network blip, 503, rate limit). Default false. */
  readonly retryable?: boolean;
  /** How long to wait before trying again, when known (e.g. from Retry-After). */
  readonly retryAfterMs?: number;
}

/**
 * A task failure with its RFC 7807 fields and retry behaviour: what a task handler throws
 * to fail a task on purpose. The executor routes send it to the worker as a Connect error
 * with an `ExecuteTaskError` detail; the workflow sees `type`, `status`, `title`, `detail`
 * and `instance` (the task's id) as `$error`. Any other thrown error is a non-retryable
 * `runtime` failure.
 */
export class ExecutorFailure extends Error {
  readonly code = 'EXECUTOR_FAILURE';
  /** The error type as a URI. */
  readonly type: string;
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(init: ExecutorFailureInit, options?: { cause?: unknown }) {
    const type = resolveErrorType(init.type);
    const standard = errorTypeNameOf(type);
    const title = init.title ?? standard ?? type;
    super(init.detail ? `${title}: ${init.detail}` : title, options);
    this.name = 'ExecutorFailure';
    this.type = type;
    this.status = init.status ?? (standard ? ERROR_TYPE_STATUS[standard] : 500);
    this.title = title;
    if (init.detail !== undefined) this.detail = init.detail;
    this.retryable = init.retryable ?? false;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, Math.round(init.retryAfterMs));
  }

  /** The standard type name, or undefined for a custom type URI. */
  get typeName(): ErrorTypeName | undefined {
    return errorTypeNameOf(this.type);
  }
}
