import { create } from '@bufbuild/protobuf';
import {
  ExecutionStatus,
  TaskErrorSchema,
  TaskRecordSchema,
  WorkflowStateSchema,
  type TaskError,
  type TaskRecord,
  type WorkflowState,
} from '@flunq/proto-types';
import { CorruptedDataError } from '../errors/errors.js';
import { fromJsonBytes } from '../json/json-bytes.js';
import { isJsonObject, legacyPayload, legacyString, legacyTime, pick, type JsonObject } from './legacy-values.js';

const STATUS_BY_NAME: Record<string, ExecutionStatus> = {
  PENDING: ExecutionStatus.PENDING,
  CREATED: ExecutionStatus.PENDING,
  RUNNING: ExecutionStatus.RUNNING,
  WAITING: ExecutionStatus.WAITING,
  SUSPENDED: ExecutionStatus.WAITING,
  COMPLETED: ExecutionStatus.COMPLETED,
  FAILED: ExecutionStatus.FAILED,
  FAULTED: ExecutionStatus.FAILED,
  CANCELLED: ExecutionStatus.CANCELLED,
  CANCELED: ExecutionStatus.CANCELLED,
};

/** Maps a legacy status (`COMPLETED`, `completed`, `WORKFLOW_STATUS_COMPLETED`, ...) to the enum. */
export function legacyStatus(value: unknown): ExecutionStatus {
  if (value === undefined || value === null || value === '') return ExecutionStatus.UNSPECIFIED;
  const name = String(value).toUpperCase().replace(/^(WORKFLOW|EXECUTION)_STATUS_/, '');
  const status = STATUS_BY_NAME[name];
  if (status === undefined) throw new CorruptedDataError('legacy state', `unknown status ${JSON.stringify(value)}`);
  return status;
}

/** Reads a legacy error (a string or an RFC 7807-like object). */
export function legacyError(value: unknown): TaskError | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isJsonObject(value)) return create(TaskErrorSchema, { title: legacyString(value) });
  return create(TaskErrorSchema, {
    type: legacyString(value['type']),
    status: typeof value['status'] === 'number' ? value['status'] : 0,
    title: legacyString(pick(value, 'title', 'message')),
    detail: legacyString(value['detail']),
    instance: legacyString(value['instance']),
  });
}

function legacyTask(task: unknown, index: number): TaskRecord {
  if (!isJsonObject(task)) throw new CorruptedDataError('legacy state', `completed_tasks[${index}] is not an object`);
  const where = `legacy state completed_tasks[${index}]`;
  const attempt = pick(task, 'attempt');
  return create(TaskRecordSchema, {
    taskName: legacyString(pick(task, 'task_name', 'taskName', 'name')),
    taskId: legacyString(pick(task, 'task_id', 'taskId')),
    input: legacyPayload(task['input']),
    output: legacyPayload(task['output']),
    startedAtMs: legacyTime(pick(task, 'started_at', 'startedAt'), where),
    completedAtMs: legacyTime(pick(task, 'completed_at', 'completedAt'), where),
    attempt: typeof attempt === 'number' ? attempt : 0,
    error: legacyError(task['error']),
  });
}

/** Converts a parsed state in the original system's JSON shape to a WorkflowState. */
export function legacyStateFromJson(json: JsonObject): WorkflowState {
  const tasks = pick(json, 'completed_tasks', 'completedTasks') ?? [];
  if (!Array.isArray(tasks)) throw new CorruptedDataError('legacy state', 'completed_tasks is not a list');
  const current = pick(json, 'current_tasks', 'currentTasks', 'pending_tasks');
  return create(WorkflowStateSchema, {
    id: legacyString(json['id']),
    tenantId: legacyString(pick(json, 'tenant_id', 'tenantId')),
    workflowId: legacyString(pick(json, 'workflow_id', 'workflowId')),
    workflowVersion: legacyString(pick(json, 'workflow_version', 'workflowVersion')),
    status: legacyStatus(json['status']),
    input: legacyPayload(json['input']),
    output: legacyPayload(json['output']),
    variables: legacyPayload(json['variables']),
    completedTasks: tasks.map(legacyTask),
    currentTasks: Array.isArray(current) ? current.map(legacyString) : [],
    createdAtMs: legacyTime(pick(json, 'created_at', 'createdAt'), 'legacy state'),
    updatedAtMs: legacyTime(pick(json, 'updated_at', 'updatedAt'), 'legacy state'),
    completedAtMs: legacyTime(pick(json, 'completed_at', 'completedAt'), 'legacy state'),
    correlationId: legacyString(pick(json, 'correlation_id', 'correlationId')),
    error: legacyError(json['error']),
  });
}

/** Parses the bytes of a legacy state value (JSON text) into a WorkflowState. */
export function decodeLegacyState(bytes: Uint8Array): WorkflowState {
  const json = fromJsonBytes(bytes, 'legacy state');
  if (!isJsonObject(json)) throw new CorruptedDataError('legacy state', 'not a JSON object');
  return legacyStateFromJson(json);
}
