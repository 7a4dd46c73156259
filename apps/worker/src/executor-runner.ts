import { ExecutorUnavailableError, type TaskRunner, type TaskRunOutcome, type TaskRunRequest } from '@flunq/engine';
import { createExecutorClient, type ExecutorClient, type ExecutorDirectory } from '@flunq/executor-kit';
import type { ServiceMetrics } from '@flunq/observability';
import type { SizeLimits } from '@flunq/serializer';

/** The executor task type and function name of a `call` task: `call: http` is `call.http`, any other `call: name` a custom function. */
export function taskTypeOf(task: Readonly<Record<string, unknown>>): { taskType: string; functionName?: string } {
  const call = String(task['call'] ?? '');
  return call === 'http' ? { taskType: 'call.http' } : { taskType: 'call.function', functionName: call };
}

/**
 * Runs `call` tasks on executors over Connect RPC, routed by `FLUNQ_EXECUTOR_URL` /
 * `FLUNQ_EXECUTOR_ROUTES` (one HTTP/2 connection per executor). A call that reaches no
 * executor throws `ExecutorUnavailableError`: the step is retried later and nothing is
 * recorded, so an executor restart never fails a workflow.
 */
export class ExecutorTaskRunner implements TaskRunner {
  private readonly clients = new Map<string, ExecutorClient>();

  constructor(
    private readonly directory: ExecutorDirectory,
    private readonly options: { limits: SizeLimits; metrics?: ServiceMetrics },
  ) {}

  async run(request: TaskRunRequest, signal: AbortSignal): Promise<TaskRunOutcome> {
    const { taskType, functionName } = taskTypeOf(request.task);
    const url = this.directory.urlFor(taskType, functionName);
    const { identity } = request;
    const outcome = await this.client(url).execute(
      {
        tenantId: identity.tenantId,
        workflowId: identity.workflowId,
        executionId: identity.executionId,
        taskId: request.pointer,
        taskName: request.taskName,
        taskType,
        ...(functionName ? { functionName } : {}),
        task: request.task as Record<string, unknown>,
        input: request.input,
        attempt: request.attempt,
        deadlineMs: request.deadlineMs,
        correlationId: identity.correlationId,
        idempotencyKey: request.idempotencyKey,
      },
      { signal },
    );
    if (!outcome.ok && outcome.transport && outcome.retryable && !signal.aborted) {
      this.options.metrics?.ioFailuresTotal.inc({ operation: 'executor_call' });
      throw new ExecutorUnavailableError(request.pointer, `${url}: ${outcome.error.detail ?? outcome.error.title ?? 'unreachable'}`);
    }
    if (outcome.ok) return { ok: true, output: outcome.output, startedAtMs: outcome.startedAtMs, completedAtMs: outcome.completedAtMs };
    return { ok: false, error: outcome.error, retryable: outcome.retryable };
  }

  private client(url: string): ExecutorClient {
    let client = this.clients.get(url);
    if (!client) {
      client = createExecutorClient(url, { limits: this.options.limits });
      this.clients.set(url, client);
    }
    return client;
  }

  /** Closes every executor connection. */
  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
