/** What a task handler knows about the task it runs. */
export interface TaskContext {
  /** The task's definition (DSL JSON, e.g. `{ call: 'http', with: {...} }`) with expressions already evaluated. */
  readonly task: Record<string, unknown>;
  /** Position of the task in its definition, e.g. `/do/1/fetchUser`; the `instance` of its errors. */
  readonly taskId: string;
  readonly taskName: string;
  readonly executionId: string;
  readonly workflowId: string;
  readonly tenantId: string;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Unix epoch milliseconds after which the worker stops waiting; 0 when none. */
  readonly deadlineMs: number;
  /** Fires at the deadline and when the worker cancels the call: stop work and pass it on to fetch etc. */
  readonly signal: AbortSignal;
  readonly correlationId: string;
  /**
   * Names this run of the task: the same key arrives again only when a worker restarted
   * and re-sent the same attempt. Use it to perform side effects once.
   */
  readonly idempotencyKey: string;
}

/**
 * Runs one task: gets the task input (JSON) and returns the output (JSON; `undefined`
 * reads as null). Throw an `ExecutorFailure` to fail the task with a chosen error type
 * and retry behaviour; any other error fails it as a non-retryable `runtime` error.
 */
export type TaskHandler = (input: unknown, context: TaskContext) => Promise<unknown> | unknown;

/** The few logger methods the routes use; a pino logger fits. */
export interface ExecutorLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: Record<string, unknown>): ExecutorLogger;
}

/** The metrics the routes record; the `ServiceMetrics` of `@flunq/observability` fit. */
export interface ExecutorMetrics {
  readonly tasksTotal: { inc(labels: { task_type: string; outcome: string }, value?: number): void };
  readonly taskDuration: { observe(labels: { task_type: string; outcome: string }, value: number): void };
  readonly payloadBytes: { observe(labels: { direction: string }, value: number): void };
  readonly serializationSeconds: { observe(labels: { operation: string }, value: number): void };
}

