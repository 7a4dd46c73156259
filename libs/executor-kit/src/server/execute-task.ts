import { performance } from 'node:perf_hooks';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { Code, type HandlerContext } from '@connectrpc/connect';
import type { ExecuteTaskRequest, ExecuteTaskResponseSchema, Payload } from '@flunq/proto-types';
import { DEFAULT_SIZE_LIMITS, jsonToPayload, payloadToJson, type SizeLimits } from '@flunq/serializer';
import type { ExecutorLogger, ExecutorMetrics, TaskHandler } from './task-handler.js';
import { reject, toRejection, type TaskRejection } from './task-rejection.js';
import { createTaskSignal, untilAborted } from './task-signal.js';

/** The task types the routes dispatch on. */
export const TASK_TYPES = { http: 'call.http', function: 'call.function' } as const;

/** What {@link executeTask} needs, with defaults already applied. */
export interface ExecuteTaskSettings {
  readonly functions: Readonly<Record<string, TaskHandler>>;
  readonly http?: TaskHandler;
  readonly limits: SizeLimits;
  readonly logger?: ExecutorLogger;
  readonly metrics?: ExecutorMetrics;
}

/** Size limits whose task output limit is `outputLimitBytes` (the general payload limit never undercuts it). */
export function outputLimits(outputLimitBytes: number = DEFAULT_SIZE_LIMITS.maxTaskOutputSize): SizeLimits {
  return {
    ...DEFAULT_SIZE_LIMITS,
    maxPayloadSize: Math.max(outputLimitBytes, DEFAULT_SIZE_LIMITS.maxPayloadSize),
    maxTaskOutputSize: outputLimitBytes,
  };
}

function pickHandler(settings: ExecuteTaskSettings, request: ExecuteTaskRequest): TaskHandler {
  if (request.taskType === TASK_TYPES.http) {
    if (settings.http) return settings.http;
    throw reject(Code.NotFound, { type: 'configuration', title: 'HTTP calls not served', detail: 'this executor has no call.http handler' });
  }
  if (request.taskType === TASK_TYPES.function) {
    const name = request.functionName;
    if (Object.hasOwn(settings.functions, name)) return settings.functions[name] as TaskHandler;
    const known = Object.keys(settings.functions).sort().join(', ') || 'none';
    throw reject(Code.NotFound, { type: 'configuration', title: 'Unknown function', detail: `function "${name}" is not served by this executor (serves: ${known})` });
  }
  throw reject(Code.Unimplemented, { type: 'configuration', title: 'Unsupported task type', detail: `task type "${request.taskType}" is not served (serves: call.http, call.function)` });
}

function timed<T>(metrics: ExecutorMetrics | undefined, operation: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    metrics?.serializationSeconds.observe({ operation }, (performance.now() - start) / 1000);
  }
}

function decodeRequest(request: ExecuteTaskRequest, metrics?: ExecutorMetrics): { input: unknown; task: Record<string, unknown> } {
  try {
    return timed(metrics, 'decode', () => {
      const task = payloadToJson(request.taskDefinition, 'task definition') ?? {};
      if (typeof task !== 'object' || Array.isArray(task)) throw new TypeError('task definition is not a JSON object');
      return { input: payloadToJson(request.input, 'task input'), task: task as Record<string, unknown> };
    });
  } catch (error) {
    throw reject(Code.InvalidArgument, { type: 'validation', title: 'Unreadable task request', detail: (error as Error).message }, error);
  }
}

function encodeOutput(output: unknown, request: ExecuteTaskRequest, settings: ExecuteTaskSettings): Payload {
  const path = `output of task ${request.taskName || request.taskId}`;
  return timed(settings.metrics, 'encode', () => jsonToPayload(output === undefined ? null : output, { path, limit: 'taskOutput', limits: settings.limits }));
}

function record(settings: ExecuteTaskSettings, request: ExecuteTaskRequest, outcome: string, seconds: number): void {
  const labels = { task_type: request.taskType || 'unknown', outcome };
  settings.metrics?.tasksTotal.inc(labels);
  settings.metrics?.taskDuration.observe(labels, seconds);
}

async function runHandler(settings: ExecuteTaskSettings, request: ExecuteTaskRequest, call: HandlerContext): Promise<Payload> {
  const handler = pickHandler(settings, request);
  const { input, task } = decodeRequest(request, settings.metrics);
  settings.metrics?.payloadBytes.observe({ direction: 'input' }, Number(request.input?.originalSize ?? 0n));
  const deadlineMs = Number(request.deadlineMs);
  const taskSignal = createTaskSignal(deadlineMs, call.signal);
  const { taskId, taskName, executionId, workflowId, tenantId, attempt, correlationId, idempotencyKey } = request;
  const context = { task, taskId, taskName, executionId, workflowId, tenantId, attempt, deadlineMs, correlationId, idempotencyKey, signal: taskSignal.signal };
  try {
    const output = await untilAborted(() => handler(input, context), taskSignal.signal);
    // The output limit is enforced here, before anything is sent back.
    const payload = encodeOutput(output, request, settings);
    settings.metrics?.payloadBytes.observe({ direction: 'output' }, payload.data.length);
    return payload;
  } finally {
    taskSignal.dispose();
  }
}

/**
 * ExecuteTask: picks the handler by task type (and function name), decodes the input and
 * the task definition, runs the handler under the task's deadline, encodes the output
 * under the task output limit, and reports failures as Connect errors with an
 * `ExecuteTaskError` detail (see docs/executors.md for the code of each failure).
 */
export async function executeTask(
  settings: ExecuteTaskSettings,
  request: ExecuteTaskRequest,
  call: HandlerContext,
): Promise<MessageInitShape<typeof ExecuteTaskResponseSchema>> {
  const startedAtMs = Date.now();
  const log = settings.logger?.child({
    executionId: request.executionId,
    taskId: request.taskId,
    workflowId: request.workflowId,
    tenantId: request.tenantId,
  });
  let rejection: TaskRejection | undefined;
  try {
    const output = await runHandler(settings, request, call);
    log?.info({ taskType: request.taskType, attempt: request.attempt, outputBytes: output.data.length, durationMs: Date.now() - startedAtMs }, 'task completed');
    return { output, startedAtMs: BigInt(startedAtMs), completedAtMs: BigInt(Date.now()) };
  } catch (error) {
    rejection = toRejection(error);
    const { failure } = rejection;
    const fields = { taskType: request.taskType, attempt: request.attempt, code: Code[rejection.rpcCode], type: failure.type, status: failure.status, retryable: failure.retryable, reason: failure.message };
    if (rejection.rpcCode === Code.Internal) log?.error({ ...fields, err: failure.cause ?? failure }, 'task failed');
    else log?.warn(fields, 'task failed');
    throw rejection.toConnectError(request.taskId);
  } finally {
    const outcome = rejection === undefined ? 'success' : rejection.failure.retryable ? 'retryable_error' : 'error';
    record(settings, request, outcome, (Date.now() - startedAtMs) / 1000);
  }
}
