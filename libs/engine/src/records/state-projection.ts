import { create } from '@bufbuild/protobuf';
import type { EngineEvent, ExecutionState } from '@flunq/dsl';
import { ExecutionStatus, WorkflowStateSchema, type TaskRecord, type WorkflowEvent, type WorkflowState } from '@flunq/proto-types';
import type { PayloadSerializer } from '@flunq/serializer';
import type { ExecutionIdentity } from './event-mapping.js';
import { toTaskError } from './task-error.js';

const STATUS: Record<ExecutionState['status'], ExecutionStatus> = {
  pending: ExecutionStatus.PENDING,
  running: ExecutionStatus.RUNNING,
  completed: ExecutionStatus.COMPLETED,
  failed: ExecutionStatus.FAILED,
  cancelled: ExecutionStatus.CANCELLED,
};

/** The state of an execution before its first event. */
export function emptyWorkflowState(identity: ExecutionIdentity, createdAtMs: number): WorkflowState {
  return create(WorkflowStateSchema, {
    id: identity.executionId,
    tenantId: identity.tenantId,
    workflowId: identity.workflowId,
    workflowVersion: identity.workflowVersion,
    correlationId: identity.correlationId,
    status: ExecutionStatus.PENDING,
    createdAtMs: BigInt(createdAtMs),
  });
}

/**
 * How many task records a stored state keeps (the most recent ones). Every record is also in
 * its event, so views rebuild the full list from the stream when `task_count` is larger:
 * without the cap, a state would grow with the history and each step would rewrite it all.
 */
export const RECENT_TASKS_KEPT = 100;

/** The state's task records with `record` added: the most recent {@link RECENT_TASKS_KEPT}, and the count of all. */
function withTask(previous: WorkflowState, record: TaskRecord): Pick<WorkflowState, 'completedTasks' | 'taskCount'> {
  const all = [...previous.completedTasks, record];
  return { completedTasks: all.length > RECENT_TASKS_KEPT ? all.slice(all.length - RECENT_TASKS_KEPT) : all, taskCount: Math.max(previous.taskCount, previous.completedTasks.length) + 1 };
}

/** The tasks running now: every thread's dispatched task or entered composite. */
function currentTasks(after: ExecutionState): string[] {
  const positions = [after.position, ...Object.values(after.branches).map((b) => b.position)];
  return positions.filter((p): p is string => p !== undefined);
}

/**
 * The stored state (the seed's shape: input, output, variables, completed_tasks) after
 * `event`, recorded as `stored` at `sequence`. Payloads are the very objects of the event,
 * so the store can refer to them instead of storing them twice; `variables` (the DSL's
 * `$context`) is re-encoded only when the event changed it.
 */
export function projectState(
  previous: WorkflowState,
  event: EngineEvent,
  stored: WorkflowEvent,
  after: ExecutionState,
  sequence: number,
  serializer: PayloadSerializer,
  contextChanged: boolean,
): WorkflowState {
  const seq = BigInt(sequence);
  const next: WorkflowState = { ...previous, completedTasks: previous.completedTasks, version: seq, updatedAtMs: stored.timeMs, status: STATUS[after.status] };
  next.currentTasks = after.status === 'running' ? currentTasks(after) : [];
  const { data } = stored;
  switch (event.type) {
    case 'execution.started':
      if (data.case === 'executionStarted') Object.assign(next, { input: data.value.input, inputEventSeq: seq, variables: serializer.toPayload(after.context, { path: 'variables' }) });
      break;
    case 'task.completed':
      if (data.case === 'taskCompleted') {
        const record: TaskRecord = {
          $typeName: 'flunq.v1.TaskRecord',
          taskName: data.value.taskName,
          taskId: event.pointer,
          input: data.value.inputData,
          output: data.value.outputData,
          startedAtMs: data.value.startedAtMs,
          completedAtMs: data.value.completedAtMs,
          attempt: data.value.attempt,
          error: undefined,
          eventSeq: seq,
        };
        Object.assign(next, withTask(previous, record), { output: data.value.outputData, outputEventSeq: seq });
        if (contextChanged) next.variables = serializer.toPayload(after.context, { path: 'variables' });
      }
      break;
    case 'task.failed':
      if (data.case === 'taskFailed') {
        const { value } = data;
        const record: TaskRecord = {
          $typeName: 'flunq.v1.TaskRecord',
          taskName: value.taskName,
          taskId: event.pointer,
          input: value.inputData,
          output: undefined,
          startedAtMs: value.startedAtMs,
          completedAtMs: value.completedAtMs,
          attempt: value.attempt,
          error: value.error,
          eventSeq: seq,
        };
        Object.assign(next, withTask(previous, record));
      }
      break;
    case 'execution.completed':
      if (data.case === 'executionCompleted') Object.assign(next, { output: data.value.output, outputEventSeq: seq, completedAtMs: stored.timeMs });
      break;
    case 'execution.failed':
      Object.assign(next, { error: toTaskError(event.error), completedAtMs: stored.timeMs });
      break;
    case 'execution.cancelled':
      next.completedAtMs = stored.timeMs;
      break;
    default:
      break;
  }
  return next;
}
