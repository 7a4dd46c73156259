import { create } from '@bufbuild/protobuf';
import { parseTaskPointer, type EngineEvent, type ExecutionState } from '@flunq/dsl';
import { WorkflowEventSchema, type Payload, type WorkflowEvent } from '@flunq/proto-types';
import type { PayloadSerializer } from '@flunq/serializer';
import { fromTaskError, toTaskError } from './task-error.js';

/** Who an execution is: the ids every event and state of it carries. */
export interface ExecutionIdentity {
  readonly executionId: string;
  readonly tenantId: string;
  readonly workflowId: string;
  readonly workflowVersion: string;
  readonly correlationId: string;
}

/** CloudEvents `source` of everything the engine records. */
export const EVENT_SOURCE = 'flunq-io/worker';

/** The stored event type of each engine event (the seed's `io.flunq.*` names). */
const EVENT_TYPES: Record<EngineEvent['type'], string> = {
  'execution.started': 'io.flunq.execution.started',
  'task.started': 'io.flunq.task.started',
  'task.dispatched': 'io.flunq.task.started',
  'task.iterated': 'io.flunq.task.iterated',
  'task.completed': 'io.flunq.task.completed',
  'task.failed': 'io.flunq.task.failed',
  'task.retrying': 'io.flunq.task.retrying',
  'task.caught': 'io.flunq.task.caught',
  'execution.completed': 'io.flunq.execution.completed',
  'execution.failed': 'io.flunq.execution.failed',
  'execution.cancelled': 'io.flunq.execution.cancelled',
};

/** A stored event this engine cannot turn back into an engine event. */
export class UnreadableEventError extends Error {
  readonly code = 'UNREADABLE_EVENT';

  constructor(
    readonly executionId: string,
    readonly sequence: bigint,
    reason: string,
  ) {
    super(`execution ${executionId}, event ${sequence}: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}

/** How one engine event is written: its id, time, the state before it (for what it leaves implicit) and payload encoding. */
export interface EventWriteContext {
  readonly identity: ExecutionIdentity;
  readonly serializer: PayloadSerializer;
  readonly eventId: string;
  readonly timeMs: number;
  /** The engine state the event applies to. */
  readonly before: ExecutionState;
  /** The workflow input as given (before the workflow's `input.from`), for `execution.started`. */
  readonly rawInput?: unknown;
  /** Task timings and attempt, for `task.completed`. */
  readonly task?: { readonly startedAtMs: number; readonly completedAtMs: number; readonly attempt: number };
}

const taskName = (pointer: string): string => parseTaskPointer(pointer)?.name ?? pointer;

/**
 * The typed data of an engine event (what the seed's timeline shows: task name,
 * `input_data`, `output_data`) and its `engine_detail` (what the reducer needs beyond it).
 */
function dataOf(event: EngineEvent, c: EventWriteContext): { data: WorkflowEvent['data']; detail?: Record<string, unknown> } {
  const payload = (value: unknown, path: string, limit?: 'workflowInput' | 'taskOutput'): Payload => c.serializer.toPayload(value, { path, ...(limit ? { limit } : {}) });
  switch (event.type) {
    case 'execution.started': {
      const raw = c.rawInput === undefined ? event.input : c.rawInput;
      const detail = c.rawInput !== undefined && JSON.stringify(raw) !== JSON.stringify(event.input) ? { input: event.input } : undefined;
      const value = { $typeName: 'flunq.v1.ExecutionStarted' as const, input: payload(raw, 'input', 'workflowInput'), workflowVersion: c.identity.workflowVersion };
      return { data: { case: 'executionStarted', value }, ...(detail ? { detail } : {}) };
    }
    case 'task.started':
    case 'task.dispatched': {
      const value = { $typeName: 'flunq.v1.TaskStarted' as const, taskName: taskName(event.pointer), inputData: payload(event.input, `${event.pointer}/input`), attempt: 0 };
      if (event.type === 'task.dispatched') return { data: { case: 'taskStarted', value } };
      const detail = { composite: true, ...(event.list ? { list: event.list } : {}), ...(event.loop ? { loop: event.loop } : {}), ...(event.at === undefined ? {} : { at: event.at }) };
      return { data: { case: 'taskStarted', value }, detail };
    }
    case 'task.completed': {
      const times = c.task ?? { startedAtMs: c.timeMs, completedAtMs: c.timeMs, attempt: 1 };
      const value = {
        $typeName: 'flunq.v1.TaskCompleted' as const,
        taskName: taskName(event.pointer),
        inputData: payload(event.input, `${event.pointer}/input`),
        outputData: payload(event.output, `${event.pointer}/output`, 'taskOutput'),
        startedAtMs: BigInt(Math.round(times.startedAtMs)),
        completedAtMs: BigInt(Math.round(times.completedAtMs)),
        attempt: times.attempt,
      };
      const detail = { ...(event.context === c.before.context ? {} : { context: event.context }), ...(event.then === undefined ? {} : { then: event.then }) };
      return { data: { case: 'taskCompleted', value }, ...(Object.keys(detail).length ? { detail } : {}) };
    }
    case 'task.failed': {
      const times = c.task ?? { startedAtMs: c.timeMs, completedAtMs: c.timeMs, attempt: 1 };
      const value = {
        $typeName: 'flunq.v1.TaskFailed' as const,
        taskName: taskName(event.pointer),
        inputData: payload(event.input, `${event.pointer}/input`),
        error: toTaskError(event.error),
        startedAtMs: BigInt(Math.round(times.startedAtMs)),
        completedAtMs: BigInt(Math.round(times.completedAtMs)),
        attempt: times.attempt,
      };
      return { data: { case: 'taskFailed', value } };
    }
    case 'task.retrying':
    case 'task.caught': {
      const value = {
        $typeName: 'flunq.v1.TaskFailed' as const,
        taskName: taskName(event.error.instance),
        error: toTaskError(event.error),
        startedAtMs: 0n,
        completedAtMs: BigInt(Math.round(c.timeMs)),
        attempt: event.type === 'task.retrying' ? event.attempt - 1 : 0,
      };
      const detail = event.type === 'task.retrying' ? { attempt: event.attempt, delayMs: event.delayMs, ...(event.at === undefined ? {} : { at: event.at }) } : { as: event.as };
      return { data: { case: 'taskFailed', value }, detail };
    }
    case 'task.iterated':
      return { data: { case: undefined }, detail: { index: event.index } };
    case 'execution.completed':
      return { data: { case: 'executionCompleted', value: { $typeName: 'flunq.v1.ExecutionCompleted', output: payload(event.output, 'output') } } };
    case 'execution.failed':
      return { data: { case: 'executionFailed', value: { $typeName: 'flunq.v1.ExecutionFailed', error: toTaskError(event.error) } } };
    case 'execution.cancelled':
      return { data: { case: 'executionCancelled', value: { $typeName: 'flunq.v1.ExecutionCancelled', reason: event.reason } } };
  }
}

/**
 * The stored form of an engine event: a CloudEvents-shaped `WorkflowEvent` of the seed's
 * type names, with the task pointer as `task_id`. Payloads are validated and checked
 * against their limits here (typed errors), before anything is written.
 */
export function toWorkflowEvent(event: EngineEvent, c: EventWriteContext): WorkflowEvent {
  const { data, detail } = dataOf(event, c);
  return create(WorkflowEventSchema, {
    id: c.eventId,
    source: EVENT_SOURCE,
    specVersion: '1.0',
    type: EVENT_TYPES[event.type],
    timeMs: BigInt(Math.round(c.timeMs)),
    subject: c.identity.executionId,
    tenantId: c.identity.tenantId,
    workflowId: c.identity.workflowId,
    executionId: c.identity.executionId,
    taskId: 'pointer' in event ? event.pointer : '',
    correlationId: c.identity.correlationId,
    data,
    ...(detail ? { engineDetail: c.serializer.toPayload(detail, { path: 'engine_detail' }) } : {}),
  });
}

/**
 * The engine event a stored event records, for refolding an execution. `before` is the
 * engine state it applies to (a `task.completed` that did not change `$context` leaves it
 * out). Payload bytes are decoded (and verified) here.
 * @throws UnreadableEventError for an event type or shape the engine did not write
 */
export function fromWorkflowEvent(stored: WorkflowEvent, before: ExecutionState, serializer: PayloadSerializer): EngineEvent {
  const detail = (stored.engineDetail ? serializer.fromPayload(stored.engineDetail, 'engine_detail') : {}) as Record<string, unknown>;
  const pointer = stored.taskId;
  const { data } = stored;
  const fail = (reason: string): never => {
    throw new UnreadableEventError(stored.executionId, stored.sequence, reason);
  };
  switch (stored.type) {
    case 'io.flunq.execution.started':
      if (data.case !== 'executionStarted') return fail('execution.started without its data');
      return { type: 'execution.started', input: 'input' in detail ? detail['input'] : serializer.fromPayload(data.value.input, 'input') };
    case 'io.flunq.task.started': {
      if (data.case !== 'taskStarted') return fail('task.started without its data');
      const input = serializer.fromPayload(data.value.inputData, 'input_data');
      if (!detail['composite']) return { type: 'task.dispatched', pointer, input, at: Number(stored.timeMs) };
      const composite = detail as { list?: 'do' | 'try' | 'fork'; loop?: Extract<EngineEvent, { type: 'task.started' }>['loop']; at?: number };
      return { type: 'task.started', pointer, input, ...(composite.list ? { list: composite.list } : {}), ...(composite.loop ? { loop: composite.loop } : {}), ...(composite.at === undefined ? {} : { at: composite.at }) };
    }
    case 'io.flunq.task.completed': {
      if (data.case !== 'taskCompleted') return fail('task.completed without its data');
      const context = 'context' in detail ? detail['context'] : before.context;
      const input = serializer.fromPayload(data.value.inputData, 'input_data');
      const output = serializer.fromPayload(data.value.outputData, 'output_data');
      return { type: 'task.completed', pointer, input, output, context, ...(typeof detail['then'] === 'string' ? { then: detail['then'] } : {}) };
    }
    case 'io.flunq.task.failed': {
      if (data.case !== 'taskFailed') return fail('task.failed without its error');
      return { type: 'task.failed', pointer, input: serializer.fromPayload(data.value.inputData, 'input_data'), error: fromTaskError(data.value.error) };
    }
    case 'io.flunq.task.iterated':
      return { type: 'task.iterated', pointer, index: Number(detail['index']) };
    case 'io.flunq.task.retrying':
    case 'io.flunq.task.caught': {
      if (data.case !== 'taskFailed') return fail(`${stored.type} without its error`);
      const error = fromTaskError(data.value.error);
      if (stored.type === 'io.flunq.task.caught') return { type: 'task.caught', pointer, error, as: String(detail['as'] ?? 'error') };
      return { type: 'task.retrying', pointer, error, attempt: Number(detail['attempt']), delayMs: Number(detail['delayMs']), ...(detail['at'] === undefined ? {} : { at: Number(detail['at']) }) };
    }
    case 'io.flunq.execution.completed':
      if (data.case !== 'executionCompleted') return fail('execution.completed without its output');
      return { type: 'execution.completed', output: serializer.fromPayload(data.value.output, 'output') };
    case 'io.flunq.execution.failed':
      if (data.case !== 'executionFailed') return fail('execution.failed without its error');
      return { type: 'execution.failed', error: fromTaskError(data.value.error) };
    case 'io.flunq.execution.cancelled':
      return { type: 'execution.cancelled', reason: data.case === 'executionCancelled' ? data.value.reason : '' };
    default:
      return fail(`unknown event type ${JSON.stringify(stored.type)}`);
  }
}
