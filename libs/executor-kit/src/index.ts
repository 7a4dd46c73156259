/**
 * `@flunq/executor-kit`: everything needed to build a flunq executor (the Connect
 * `ExecutorService` routes, typed task failures, an h2c server) and to call one from the
 * worker (a client that never throws on task failure, and the routing of functions to
 * executor URLs). The wire contract is proto/flunq/v1/executor.proto; the error mapping is
 * in docs/executors.md.
 */
export { connectCodeOf, failureToConnectError, outcomeFromError } from './errors/connect-mapping.js';
export type { FailedOutcome, TaskProblem } from './errors/connect-mapping.js';
export { ERROR_TYPE_STATUS, errorTypeNameOf, errorTypeUri, isErrorTypeName, resolveErrorType } from './errors/error-types.js';
export type { ErrorTypeName } from './errors/error-types.js';
export { ExecutorFailure } from './errors/executor-failure.js';
export type { ExecutorFailureInit } from './errors/executor-failure.js';
export { TASK_TYPES } from './server/execute-task.js';
export { createExecutorRoutes, ExecutorOptionsError } from './server/executor-routes.js';
export type { ExecutorRoutesOptions } from './server/executor-routes.js';
export { serveExecutor } from './server/serve-executor.js';
export type { ExecutorServer, ServeExecutorOptions } from './server/serve-executor.js';
export type { ExecutorLogger, ExecutorMetrics, TaskContext, TaskHandler } from './server/task-handler.js';
export { DeadlineReachedError } from './server/task-signal.js';
export { createExecutorClient } from './client/executor-client.js';
export type {
  ExecuteTaskRequestInit,
  ExecutionOutcome,
  ExecutorClient,
  ExecutorClientOptions,
  ExecutorDescription,
  SucceededOutcome,
} from './client/executor-client.js';
export { DEFAULT_EXECUTOR_URL, ExecutorDirectory, ExecutorRoutesError, parseExecutorRoutes } from './routing/executor-directory.js';
