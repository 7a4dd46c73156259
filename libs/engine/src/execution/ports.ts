import type { WorkflowProblem } from '@flunq/dsl';
import type { ExecutionIdentity } from '../records/event-mapping.js';

/** One `call` task for an executor. */
export interface TaskRunRequest {
  readonly identity: ExecutionIdentity;
  /** The task's pointer, e.g. `/do/1/fetchUser`. */
  readonly pointer: string;
  readonly taskName: string;
  /** The task definition with its expressions evaluated. */
  readonly task: Readonly<Record<string, unknown>>;
  readonly input: unknown;
  /** 1 for the first attempt; counts `try` retries around the task. */
  readonly attempt: number;
  /** Names this run (pointer + dispatch version): the same key means the same attempt, re-sent after a crash. */
  readonly idempotencyKey: string;
  /** Unix epoch ms after which the engine stops waiting. */
  readonly deadlineMs: number;
}

/** How a task run ended. */
export type TaskRunOutcome =
  | { readonly ok: true; readonly output: unknown; readonly startedAtMs: number; readonly completedAtMs: number }
  | {
      readonly ok: false;
      readonly error: WorkflowProblem;
      readonly retryable: boolean;
      readonly startedAtMs?: number;
      readonly completedAtMs?: number;
    };

/**
 * Runs `call` tasks (an executor over Connect RPC in production, a function in tests). A
 * task's own failure is an outcome; an executor that cannot be reached at all throws
 * {@link ExecutorUnavailableError}, so the step is retried later instead of failing the task.
 */
export interface TaskRunner {
  run(request: TaskRunRequest, signal: AbortSignal): Promise<TaskRunOutcome>;
}

/** No executor could be reached for a task: nothing was recorded, the step is retried later. */
export class ExecutorUnavailableError extends Error {
  readonly code = 'EXECUTOR_UNAVAILABLE';

  constructor(
    readonly pointer: string,
    reason: string,
  ) {
    super(`no executor reachable for ${pointer}: ${reason}`);
    this.name = 'ExecutorUnavailableError';
  }
}

/** Schedules work on an execution: now, or after a delay (wait tasks, retry back-offs). */
export interface StepScheduler {
  /**
   * Asks for `advance(executionId)` after `delayMs` (0: now). `key` names the reason; the
   * same (execution, key) scheduled twice runs once.
   */
  schedule(executionId: string, key: string, delayMs: number): Promise<void>;
}
