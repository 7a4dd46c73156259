import { Code, ConnectError } from '@connectrpc/connect';
import { PayloadTooLargeError, SerializationError } from '@flunq/serializer';
import { connectCodeOf, failureToConnectError } from '../errors/connect-mapping.js';
import { ExecutorFailure } from '../errors/executor-failure.js';
import { DeadlineReachedError } from './task-signal.js';

/** A failure together with the Connect code it goes out with. */
export class TaskRejection extends Error {
  constructor(
    readonly failure: ExecutorFailure,
    readonly rpcCode: Code,
  ) {
    super(failure.message, { cause: failure });
    this.name = 'TaskRejection';
  }

  /** The wire form: a ConnectError with an `ExecuteTaskError` detail whose instance is `taskId`. */
  toConnectError(taskId: string): ConnectError {
    return failureToConnectError(this.failure, taskId, this.rpcCode);
  }
}

/** Shorthand: a rejection with an explicit Connect code. */
export function reject(code: Code, init: ConstructorParameters<typeof ExecutorFailure>[0], cause?: unknown): TaskRejection {
  return new TaskRejection(new ExecutorFailure(init, { cause }), code);
}

/**
 * Classifies whatever a task run threw: our rejections as they are, `ExecutorFailure` by
 * {@link connectCodeOf}, the deadline as a retryable `timeout`, the caller leaving as
 * `Canceled`, an oversized output as `ResourceExhausted`, anything else as `runtime`/Internal.
 */
export function toRejection(error: unknown): TaskRejection {
  if (error instanceof TaskRejection) return error;
  if (error instanceof ExecutorFailure) return new TaskRejection(error, connectCodeOf(error));
  if (error instanceof DeadlineReachedError || (error instanceof ConnectError && error.code === Code.DeadlineExceeded)) {
    return reject(Code.DeadlineExceeded, { type: 'timeout', title: 'Task deadline exceeded', detail: error.message, retryable: true }, error);
  }
  if (error instanceof ConnectError && error.code === Code.Canceled) {
    return reject(Code.Canceled, { type: 'communication', title: 'Task call cancelled by the caller', retryable: true }, error);
  }
  if (error instanceof PayloadTooLargeError) {
    return reject(Code.ResourceExhausted, { type: 'runtime', status: 413, title: 'Task output too large', detail: error.message }, error);
  }
  if (error instanceof SerializationError) {
    return reject(Code.Internal, { type: 'runtime', title: 'Task output is not JSON data', detail: error.message }, error);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return reject(Code.Internal, { type: 'runtime', title: 'Task handler failed', detail }, error);
}
