import type { Payload, WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import { checkSize, type LimitKind, type SizeLimits } from '@flunq/serializer';

function check(payload: Payload | undefined, kind: LimitKind, path: string, limits: SizeLimits): void {
  if (payload) checkSize(Number(payload.originalSize), kind, path, limits);
}

/**
 * Checks every payload of a step against the size limits (by its uncompressed size), so a
 * caller that skipped the serializer's check still cannot write an oversized record.
 * @throws PayloadTooLargeError naming the field path, size and limit
 */
export function checkStepLimits(event: WorkflowEvent, state: WorkflowState, limits: SizeLimits): void {
  const { data } = event;
  switch (data.case) {
    case 'executionStarted':
      check(data.value.input, 'workflowInput', 'input', limits);
      break;
    case 'taskStarted':
      check(data.value.inputData, 'payload', `tasks.${data.value.taskName}.input`, limits);
      break;
    case 'taskCompleted':
      check(data.value.inputData, 'payload', `tasks.${data.value.taskName}.input`, limits);
      check(data.value.outputData, 'taskOutput', `tasks.${data.value.taskName}.output`, limits);
      break;
    case 'taskFailed':
      check(data.value.inputData, 'payload', `tasks.${data.value.taskName}.input`, limits);
      break;
    case 'executionCompleted':
      check(data.value.output, 'payload', 'output', limits);
      break;
    case 'other':
      check(data.value, 'payload', 'event.data', limits);
      break;
    default:
      break;
  }
  check(state.input, 'workflowInput', 'input', limits);
  check(state.output, 'payload', 'output', limits);
  check(state.variables, 'payload', 'variables', limits);
}
