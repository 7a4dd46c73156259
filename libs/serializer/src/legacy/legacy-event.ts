import { create } from '@bufbuild/protobuf';
import { WorkflowEventSchema, type WorkflowEvent } from '@flunq/proto-types';
import { CorruptedDataError } from '../errors/errors.js';
import { legacyError } from './legacy-state.js';
import { isJsonObject, legacyPayload, legacyString, legacyTime, pick, type JsonObject } from './legacy-values.js';

type EventData = WorkflowEvent['data'];

/** Keys each typed event data may hold; data with any other key is kept verbatim as `other`. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  'io.flunq.execution.started': ['input', 'workflow_version'],
  'io.flunq.task.started': ['task_name', 'input_data', 'attempt'],
  'io.flunq.task.completed': ['task_name', 'input_data', 'output_data', 'started_at', 'completed_at', 'attempt'],
  'io.flunq.task.failed': ['task_name', 'input_data', 'error', 'started_at', 'completed_at', 'attempt'],
  'io.flunq.execution.completed': ['output'],
  'io.flunq.execution.failed': ['error'],
  'io.flunq.execution.cancelled': ['reason'],
};

function attemptOf(data: JsonObject): number {
  return typeof data['attempt'] === 'number' ? data['attempt'] : 0;
}

/** Name, input, timing and attempt: what every legacy task event may carry. */
function taskFields(data: JsonObject, where: string) {
  return {
    taskName: legacyString(data['task_name']),
    inputData: legacyPayload(data['input_data']),
    startedAtMs: legacyTime(data['started_at'], where),
    completedAtMs: legacyTime(data['completed_at'], where),
    attempt: attemptOf(data),
  };
}

function typedData(type: string, data: JsonObject): EventData {
  const where = `legacy event ${type}`;
  switch (type) {
    case 'io.flunq.execution.started':
      return { case: 'executionStarted', value: { $typeName: 'flunq.v1.ExecutionStarted', input: legacyPayload(data['input']), workflowVersion: legacyString(data['workflow_version']) } };
    case 'io.flunq.task.started':
      return { case: 'taskStarted', value: { $typeName: 'flunq.v1.TaskStarted', taskName: legacyString(data['task_name']), inputData: legacyPayload(data['input_data']), attempt: attemptOf(data) } };
    case 'io.flunq.task.completed':
      return {
        case: 'taskCompleted',
        value: { $typeName: 'flunq.v1.TaskCompleted', ...taskFields(data, where), outputData: legacyPayload(data['output_data']) },
      };
    case 'io.flunq.task.failed':
      return {
        case: 'taskFailed',
        value: { $typeName: 'flunq.v1.TaskFailed', ...taskFields(data, where), error: legacyError(data['error']) },
      };
    case 'io.flunq.execution.completed':
      return { case: 'executionCompleted', value: { $typeName: 'flunq.v1.ExecutionCompleted', output: legacyPayload(data['output']) } };
    case 'io.flunq.execution.failed':
      return { case: 'executionFailed', value: { $typeName: 'flunq.v1.ExecutionFailed', error: legacyError(data['error']) } };
    default:
      return { case: 'executionCancelled', value: { $typeName: 'flunq.v1.ExecutionCancelled', reason: legacyString(data['reason']) } };
  }
}

/**
 * Converts one legacy stream entry (one field per CloudEvents attribute, `data` as JSON
 * text) to a WorkflowEvent. Data of a known type whose keys are all modelled becomes typed
 * data; anything else is kept verbatim as `other`, so no legacy field is ever dropped.
 */
export function legacyEventFromFields(fields: Readonly<Record<string, string>>): WorkflowEvent {
  const type = legacyString(pick(fields, 'type', 'event_type'));
  let data: unknown = undefined;
  if (fields['data'] !== undefined && fields['data'] !== '') {
    try {
      data = JSON.parse(fields['data']) as unknown;
    } catch (error) {
      throw new CorruptedDataError('legacy event', 'data is not valid JSON text', { cause: error });
    }
  }
  const known = KNOWN_KEYS[type];
  const typed = known !== undefined && isJsonObject(data) && Object.keys(data).every((key) => known.includes(key));
  return create(WorkflowEventSchema, {
    id: legacyString(fields['id']),
    source: legacyString(fields['source']),
    specVersion: legacyString(fields['specversion']),
    type,
    timeMs: legacyTime(fields['time'], 'legacy event'),
    subject: legacyString(fields['subject']),
    tenantId: legacyString(fields['tenantid']),
    workflowId: legacyString(fields['workflowid']),
    executionId: legacyString(fields['executionid']),
    taskId: legacyString(fields['taskid']),
    correlationId: legacyString(fields['correlationid']),
    data: typed ? typedData(type, data as JsonObject) : data === undefined ? { case: undefined } : { case: 'other', value: legacyPayload(data)! },
  });
}
