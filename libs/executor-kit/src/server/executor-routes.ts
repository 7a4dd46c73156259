import type { ConnectRouter } from '@connectrpc/connect';
import { ExecutorService } from '@flunq/proto-types';
import { executeTask, outputLimits, TASK_TYPES } from './execute-task.js';
import type { ExecutorLogger, ExecutorMetrics, TaskHandler } from './task-handler.js';

/** Options of {@link createExecutorRoutes}. */
export interface ExecutorRoutesOptions {
  /** The custom functions served for `call.function`, by name. */
  readonly functions: Readonly<Record<string, TaskHandler>>;
  /** The handler of `call.http` tasks; without it such tasks fail with NotFound. */
  readonly http?: TaskHandler;
  /** Version reported by DescribeExecutor, e.g. the package version. */
  readonly version: string;
  /** Largest task output (JSON bytes) sent back. Default 5 MiB (`MAX_TASK_OUTPUT_SIZE`). */
  readonly outputLimitBytes?: number;
  /** Logs one line per task run (ids, outcome, sizes; never payload contents). */
  readonly logger?: ExecutorLogger;
  /** Counts task runs, durations, payload sizes and serialization time. */
  readonly metrics?: ExecutorMetrics;
}

/** The options are unusable (bad version, limit or function name). */
export class ExecutorOptionsError extends Error {
  readonly code = 'INVALID_EXECUTOR_OPTIONS';

  constructor(readonly problems: readonly string[]) {
    super(`invalid executor options: ${problems.join('; ')}`);
    this.name = 'ExecutorOptionsError';
  }
}

function check(options: ExecutorRoutesOptions): void {
  const problems: string[] = [];
  if (!options.version.trim()) problems.push('version is empty');
  const limit = options.outputLimitBytes;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) problems.push(`outputLimitBytes must be a positive integer, got ${limit}`);
  for (const [name, handler] of Object.entries(options.functions)) {
    if (!name.trim()) problems.push('a function has an empty name');
    if (typeof handler !== 'function') problems.push(`function "${name}" is not a function`);
  }
  if (problems.length) throw new ExecutorOptionsError(problems);
}

/**
 * The `ExecutorService` of an executor, for `connectNodeAdapter({ routes })` or
 * `serveExecutor`. ExecuteTask dispatches `call.http` to `http` and `call.function` to
 * `functions[function_name]`; DescribeExecutor lists both. Throws ExecutorOptionsError on
 * bad options.
 */
export function createExecutorRoutes(options: ExecutorRoutesOptions): (router: ConnectRouter) => void {
  check(options);
  const settings = { ...options, limits: outputLimits(options.outputLimitBytes) };
  const taskTypes = [...(options.http ? [TASK_TYPES.http] : []), TASK_TYPES.function];
  return (router) => {
    router.service(ExecutorService, {
      executeTask: (request, call) => executeTask(settings, request, call),
      describeExecutor: () => ({ functions: Object.keys(options.functions).sort(), taskTypes, version: options.version }),
    });
  };
}
