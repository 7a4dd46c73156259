import { Code, ConnectError } from '@connectrpc/connect';
import { ExecuteTaskErrorSchema, TaskErrorSchema } from '@flunq/proto-types';
import { create } from '@bufbuild/protobuf';
import { ERROR_TYPE_STATUS, errorTypeUri, type ErrorTypeName } from './error-types.js';
import type { ExecutorFailure } from './executor-failure.js';

/** The RFC 7807 error of a failed task, as the worker records it. */
export interface TaskProblem {
  readonly type: string;
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  /** The task's id (JSON pointer), e.g. `/do/1/fetchUser`. */
  readonly instance: string;
}

/** A failed task run as the worker sees it. */
export interface FailedOutcome {
  readonly ok: false;
  readonly error: TaskProblem;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  /**
   * True when no executor answered with a task error: the call failed in transport
   * (connection refused or reset, executor restarting) or the server is not an executor.
   */
  readonly transport?: boolean;
}

// Non-retryable failures by standard type; anything else non-retryable is FailedPrecondition.
const NON_RETRYABLE_CODES: Partial<Record<ErrorTypeName, Code>> = {
  validation: Code.InvalidArgument,
  expression: Code.InvalidArgument,
  authentication: Code.Unauthenticated,
  authorization: Code.PermissionDenied,
  runtime: Code.Internal,
};

/**
 * The Connect code of a failure (see docs/executors.md): `timeout` -> DeadlineExceeded,
 * retryable -> Unavailable, then by type (validation/expression -> InvalidArgument,
 * authentication -> Unauthenticated, authorization -> PermissionDenied, runtime -> Internal),
 * everything else (configuration, communication, custom types) -> FailedPrecondition.
 */
export function connectCodeOf(failure: ExecutorFailure): Code {
  const name = failure.typeName;
  if (name === 'timeout') return Code.DeadlineExceeded;
  if (failure.retryable) return Code.Unavailable;
  return (name && NON_RETRYABLE_CODES[name]) ?? Code.FailedPrecondition;
}

/** Puts a failure on the wire: a ConnectError with an `ExecuteTaskError` detail (instance = task id). */
export function failureToConnectError(failure: ExecutorFailure, instance: string, code: Code = connectCodeOf(failure)): ConnectError {
  const error = create(TaskErrorSchema, {
    type: failure.type,
    status: failure.status,
    title: failure.title,
    detail: failure.detail ?? '',
    instance,
    retryable: failure.retryable,
  });
  const detail = { desc: ExecuteTaskErrorSchema, value: { error, retryAfterMs: BigInt(failure.retryAfterMs ?? 0) } };
  return new ConnectError(failure.message, code, undefined, [detail]);
}

// How a Connect error without our detail reads (a transport failure, or a server that is
// not a flunq executor): which DSL type, and whether trying again may help.
const CODE_FALLBACK: Partial<Record<Code, { type: ErrorTypeName; retryable: boolean }>> = {
  [Code.DeadlineExceeded]: { type: 'timeout', retryable: true },
  [Code.InvalidArgument]: { type: 'validation', retryable: false },
  [Code.Unauthenticated]: { type: 'authentication', retryable: false },
  [Code.PermissionDenied]: { type: 'authorization', retryable: false },
  [Code.NotFound]: { type: 'configuration', retryable: false },
  [Code.Unimplemented]: { type: 'configuration', retryable: false },
  [Code.FailedPrecondition]: { type: 'configuration', retryable: false },
  [Code.Internal]: { type: 'runtime', retryable: false },
  [Code.DataLoss]: { type: 'runtime', retryable: false },
};

/**
 * Reads a failed ExecuteTask call back into the task's RFC 7807 error: from the
 * `ExecuteTaskError` detail when the executor sent one, else from the Connect code
 * (connection refused, reset, ... -> retryable `communication`).
 */
export function outcomeFromError(reason: unknown, instance: string): FailedOutcome {
  const error = ConnectError.from(reason);
  const [found] = error.findDetails(ExecuteTaskErrorSchema);
  if (found?.error) {
    const problem = found.error;
    return {
      ok: false,
      error: {
        type: problem.type,
        status: problem.status,
        instance: problem.instance || instance,
        ...(problem.title ? { title: problem.title } : {}),
        ...(problem.detail ? { detail: problem.detail } : {}),
      },
      retryable: problem.retryable,
      ...(found.retryAfterMs > 0n ? { retryAfterMs: Number(found.retryAfterMs) } : {}),
    };
  }
  const { type, retryable } = CODE_FALLBACK[error.code] ?? { type: 'communication', retryable: true };
  return {
    ok: false,
    error: {
      type: errorTypeUri(type),
      status: ERROR_TYPE_STATUS[type],
      title: `Executor call failed (${Code[error.code]})`,
      detail: error.rawMessage,
      instance,
    },
    retryable,
    transport: true,
  };
}
