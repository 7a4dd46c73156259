import { createClient } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { ExecutorService } from '@flunq/proto-types';
import { DEFAULT_SIZE_LIMITS, jsonToPayload, payloadToJson, type SizeLimits } from '@flunq/serializer';
import { outcomeFromError, type FailedOutcome } from '../errors/connect-mapping.js';
import { ERROR_TYPE_STATUS, errorTypeUri } from '../errors/error-types.js';

/** One task for an executor, as the worker has it: JSON input and definition, ids, deadline. */
export interface ExecuteTaskRequestInit {
  readonly tenantId: string;
  readonly workflowId: string;
  readonly executionId: string;
  /** Position of the task in its definition, e.g. `/do/1/fetchUser`. */
  readonly taskId: string;
  readonly taskName: string;
  /** `call.http` or `call.function`. */
  readonly taskType: string;
  /** The custom function's name, for `call.function`. */
  readonly functionName?: string;
  /** The task definition with expressions evaluated. */
  readonly task: Record<string, unknown>;
  /** The task input (JSON data). */
  readonly input: unknown;
  /** 1 for the first try. Default 1. */
  readonly attempt?: number;
  /** Unix epoch ms after which the worker stops waiting. Default: no deadline. */
  readonly deadlineMs?: number;
  readonly correlationId?: string;
  /** Names this run: the same key is sent again only for the same attempt (see TaskContext.idempotencyKey). */
  readonly idempotencyKey?: string;
}

/** A task run that returned its output. */
export interface SucceededOutcome {
  readonly ok: true;
  readonly output: unknown;
  /** Size of the output's JSON encoding. */
  readonly outputBytes: number;
  readonly startedAtMs: number;
  readonly completedAtMs: number;
}

/** How a task run ended; failures never throw. */
export type ExecutionOutcome = SucceededOutcome | FailedOutcome;

/** What an executor says it serves. */
export interface ExecutorDescription {
  readonly functions: string[];
  readonly taskTypes: string[];
  readonly version: string;
}

/** Options of {@link createExecutorClient}. */
export interface ExecutorClientOptions {
  /** Extra wait past `deadlineMs` so the executor's own timeout error arrives first. Default 1000 ms. */
  readonly deadlineGraceMs?: number;
  /** Limits applied to the input sent. Default {@link DEFAULT_SIZE_LIMITS}. */
  readonly limits?: SizeLimits;
}

/** The worker's handle on one executor. */
export interface ExecutorClient {
  readonly url: string;
  /** Runs a task. Resolves with its output or its RFC 7807 error; transport failures are retryable `communication` errors. */
  execute(request: ExecuteTaskRequestInit, options?: { signal?: AbortSignal }): Promise<ExecutionOutcome>;
  /** DescribeExecutor; rejects with the ConnectError when the executor cannot be reached. */
  describe(): Promise<ExecutorDescription>;
  /** Closes the HTTP/2 connection. */
  close(): void;
}

function clientFailure(title: string, detail: string, instance: string, retryable: boolean): FailedOutcome {
  const type = retryable ? 'communication' : 'validation';
  return { ok: false, error: { type: errorTypeUri(type), status: ERROR_TYPE_STATUS[type], title, detail, instance }, retryable };
}

/** A client of the executor at `baseUrl` (gRPC over h2c, one HTTP/2 connection kept open). */
export function createExecutorClient(baseUrl: string, options: ExecutorClientOptions = {}): ExecutorClient {
  const sessionManager = new Http2SessionManager(baseUrl);
  const client = createClient(ExecutorService, createGrpcTransport({ baseUrl, sessionManager }));
  const limits = options.limits ?? DEFAULT_SIZE_LIMITS;
  const grace = options.deadlineGraceMs ?? 1000;

  async function execute(request: ExecuteTaskRequestInit, callOptions: { signal?: AbortSignal } = {}): Promise<ExecutionOutcome> {
    let input;
    let taskDefinition;
    try {
      input = jsonToPayload(request.input, { path: `input of task ${request.taskName}`, limits });
      taskDefinition = jsonToPayload(request.task, { path: `definition of task ${request.taskName}`, limits });
    } catch (error) {
      return clientFailure('Task input cannot be sent', (error as Error).message, request.taskId, false);
    }
    const deadlineMs = request.deadlineMs ?? 0;
    const timeoutMs = deadlineMs > 0 ? Math.max(1, deadlineMs - Date.now() + grace) : undefined;
    try {
      const { tenantId, workflowId, executionId, taskId, taskName, taskType } = request;
      const response = await client.executeTask(
        {
          ...{ tenantId, workflowId, executionId, taskId, taskName, taskType, input, taskDefinition },
          functionName: request.functionName ?? '',
          attempt: request.attempt ?? 1,
          deadlineMs: BigInt(deadlineMs),
          correlationId: request.correlationId ?? '',
          idempotencyKey: request.idempotencyKey ?? '',
        },
        { ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(callOptions.signal ? { signal: callOptions.signal } : {}) },
      );
      let output: unknown;
      try {
        output = payloadToJson(response.output, 'task output');
      } catch (error) {
        return clientFailure('Task output unreadable', (error as Error).message, request.taskId, true);
      }
      return {
        ok: true,
        output,
        outputBytes: Number(response.output?.originalSize ?? 0n),
        startedAtMs: Number(response.startedAtMs),
        completedAtMs: Number(response.completedAtMs),
      };
    } catch (error) {
      return outcomeFromError(error, request.taskId);
    }
  }

  return {
    url: baseUrl,
    execute,
    describe: async () => {
      const { functions, taskTypes, version } = await client.describeExecutor({});
      return { functions, taskTypes, version };
    },
    close: () => sessionManager.abort(),
  };
}
