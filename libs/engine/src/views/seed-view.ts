import { ExecutionStatus, type Payload, type TaskError, type WorkflowEvent, type WorkflowState } from '@flunq/proto-types';
import { concealRedacted, type PayloadSerializer } from '@flunq/serializer';

/** A task of {@link SeedStateView}: the seed's `completed_tasks` entry, plus its pointer and attempt. */
export interface SeedTaskView {
  readonly task_name: string;
  readonly task_id: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly started_at: string;
  readonly completed_at: string;
  readonly attempt: number;
  /** Set when this attempt failed (its output is then null). */
  readonly error?: ProblemView;
}

/** An error in RFC 7807 shape. */
export interface ProblemView {
  readonly type: string;
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly instance: string;
}

/** An execution's state in the seed's JSON shape (`id, status, input, output, variables, completed_tasks`), with flunq-io's additions. */
export interface SeedStateView {
  readonly id: string;
  readonly status: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly variables: unknown;
  readonly completed_tasks: SeedTaskView[];
  readonly current_tasks: string[];
  readonly tenant_id: string;
  readonly workflow_id: string;
  readonly workflow_version: string;
  readonly correlation_id: string;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly completed_at?: string;
  readonly error?: ProblemView;
  /** Number of events recorded. */
  readonly version: number;
}

/** What every event shows whatever its type: the envelope fields of {@link SeedEventView}, without its `data`. */
export interface SeedEventHeader {
  readonly id: string;
  readonly event_type: string;
  readonly time: string;
  readonly source: string;
  readonly sequence: number;
  readonly tenant_id: string;
  readonly workflow_id: string;
  readonly execution_id: string;
  readonly task_id: string;
  readonly correlation_id: string;
}

/** An event in the seed's shape: `event_type`, `time`, `data.task_name`, `data.input_data`, `data.output_data`, ... */
export interface SeedEventView extends SeedEventHeader {
  readonly data: Record<string, unknown>;
}

/** A payload's value as views show it: decoded and verified, redacted values as `[REDACTED]` (never their content). */
function shown(serializer: PayloadSerializer, payload: Payload | undefined, what: string): unknown {
  return concealRedacted(serializer.fromPayload(payload, what, { reveal: false }));
}

const iso = (ms: bigint): string | undefined => (ms > 0n ? new Date(Number(ms)).toISOString() : undefined);

function problem(error: TaskError | undefined): ProblemView | undefined {
  if (!error) return undefined;
  return { type: error.type, status: error.status, ...(error.title ? { title: error.title } : {}), ...(error.detail ? { detail: error.detail } : {}), instance: error.instance };
}

/** The seed's status names (`COMPLETED`, ...). */
export function statusName(status: ExecutionStatus): string {
  return ExecutionStatus[status] ?? 'UNSPECIFIED';
}

/** A stored state (hydrated: its payloads filled from the events) as the seed's JSON. Payloads are decoded and verified. */
export function toSeedState(state: WorkflowState, serializer: PayloadSerializer): SeedStateView {
  const optional = { created_at: iso(state.createdAtMs), updated_at: iso(state.updatedAtMs), completed_at: iso(state.completedAtMs), error: problem(state.error) };
  return {
    id: state.id,
    status: statusName(state.status),
    input: shown(serializer, state.input, 'input'),
    output: shown(serializer, state.output, 'output'),
    variables: shown(serializer, state.variables, 'variables') ?? {},
    completed_tasks: state.completedTasks.map((task) => ({
      task_name: task.taskName,
      task_id: task.taskId,
      input: shown(serializer, task.input, `${task.taskName}.input`),
      output: shown(serializer, task.output, `${task.taskName}.output`),
      started_at: iso(task.startedAtMs) ?? '',
      completed_at: iso(task.completedAtMs) ?? '',
      attempt: task.attempt,
      ...(task.error ? { error: problem(task.error) } : {}),
    })),
    current_tasks: [...state.currentTasks],
    tenant_id: state.tenantId,
    workflow_id: state.workflowId,
    workflow_version: state.workflowVersion,
    correlation_id: state.correlationId,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    version: Number(state.version),
  };
}

/** The `data` of an event in the seed's shape. */
function eventData(event: WorkflowEvent, serializer: PayloadSerializer): Record<string, unknown> {
  const { data } = event;
  switch (data.case) {
    case 'executionStarted':
      return { input: shown(serializer, data.value.input, 'input'), workflow_version: data.value.workflowVersion };
    case 'taskStarted':
      return { task_name: data.value.taskName, input_data: shown(serializer, data.value.inputData, 'input_data') };
    case 'taskCompleted':
      return {
        task_name: data.value.taskName,
        input_data: shown(serializer, data.value.inputData, 'input_data'),
        output_data: shown(serializer, data.value.outputData, 'output_data'),
        started_at: iso(data.value.startedAtMs),
        completed_at: iso(data.value.completedAtMs),
        attempt: data.value.attempt,
      };
    case 'taskFailed':
      return { task_name: data.value.taskName, error: problem(data.value.error), attempt: data.value.attempt };
    case 'executionCompleted':
      return { output: shown(serializer, data.value.output, 'output') };
    case 'executionFailed':
      return { error: problem(data.value.error) };
    case 'executionCancelled':
      return { reason: data.value.reason };
    case 'other':
      return { value: shown(serializer, data.value, 'data') };
    default:
      return {};
  }
}

/** An event's {@link SeedEventHeader} (id, type, time, source, sequence, tenant, workflow, execution, task, correlation); touches no payload. */
export function toSeedEventHeader(event: WorkflowEvent): SeedEventHeader {
  return {
    id: event.id,
    event_type: event.type,
    time: iso(event.timeMs) ?? '',
    source: event.source,
    sequence: Number(event.sequence),
    tenant_id: event.tenantId,
    workflow_id: event.workflowId,
    execution_id: event.executionId,
    task_id: event.taskId,
    correlation_id: event.correlationId,
  };
}

/** A stored event as the seed showed it. Payloads are decoded and verified. */
export function toSeedEvent(event: WorkflowEvent, serializer: PayloadSerializer): SeedEventView {
  return { ...toSeedEventHeader(event), data: eventData(event, serializer) };
}
