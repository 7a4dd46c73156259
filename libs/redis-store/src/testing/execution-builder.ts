import { create } from '@bufbuild/protobuf';
import {
  ExecutionStatus,
  WorkflowStateSchema,
  type Payload,
  type WorkflowEvent,
  type WorkflowState,
} from '@flunq/proto-types';
import { createPayloadSerializer, type PayloadSerializer } from '@flunq/serializer';
import type { RecordEventInput } from '../io-store.js';

type EventData = WorkflowEvent['data'];

/**
 * Builds the steps of one execution as the worker records them (started, task completed,
 * completed), each with the state it leads to. For tests and benchmarks of stores; the
 * real engine derives the same records with the DSL reducer.
 */
export class ExecutionBuilder {
  state: WorkflowState;
  private clock: number;
  private readonly eventId: (sequence: number) => string;

  constructor(
    readonly executionId: string,
    readonly serializer: PayloadSerializer = createPayloadSerializer(),
    options: { tenantId?: string; workflowId?: string; startMs?: number; eventId?: (sequence: number) => string } = {},
  ) {
    this.eventId = options.eventId ?? ((sequence) => `${executionId}-e${sequence}`);
    this.clock = options.startMs ?? Date.UTC(2024, 0, 15, 14, 30, 0);
    this.state = create(WorkflowStateSchema, {
      id: executionId,
      tenantId: options.tenantId ?? 'tenant-a',
      workflowId: options.workflowId ?? 'simple-test-workflow',
      workflowVersion: '1',
      status: ExecutionStatus.PENDING,
    });
  }

  /** The step recording `io.flunq.execution.started` with the workflow input. */
  started(input: unknown): RecordEventInput {
    const payload = this.serializer.toPayload(input, { path: 'input', limit: 'workflowInput' });
    this.state.input = payload;
    this.state.inputEventSeq = this.state.version + 1n;
    this.state.createdAtMs = BigInt(this.clock);
    this.state.status = ExecutionStatus.RUNNING;
    return this.step('io.flunq.execution.started', '', { case: 'executionStarted', value: { $typeName: 'flunq.v1.ExecutionStarted', input: payload, workflowVersion: '1' } });
  }

  /** The step recording `io.flunq.task.completed` for a task, with its input and output values. */
  taskCompleted(taskName: string, input: unknown, output: unknown, index = this.state.completedTasks.length): RecordEventInput {
    const outputData = this.serializer.toPayload(output, { path: `tasks.${taskName}.output`, limit: 'taskOutput' });
    return this.taskCompletedWithOutput(taskName, input, outputData, index);
  }

  /** Same, with the output as the Payload an executor returned (the worker does not re-encode it). */
  taskCompletedWithOutput(taskName: string, input: unknown, outputData: Payload, index = this.state.completedTasks.length): RecordEventInput {
    const startedAt = BigInt(this.clock);
    this.clock += 1000;
    const inputData = this.serializer.toPayload(input, { path: `tasks.${taskName}.input` });
    const taskId = `/do/${index}/${taskName}`;
    this.state.completedTasks.push(
      // Literals of the full message shape, as the worker builds them: create() is reflective.
      {
        $typeName: 'flunq.v1.TaskRecord',
        error: undefined,
        taskName,
        taskId,
        input: inputData,
        output: outputData,
        startedAtMs: startedAt,
        completedAtMs: BigInt(this.clock),
        attempt: 1,
        eventSeq: this.state.version + 1n,
      },
    );
    this.state.output = outputData;
    this.state.outputEventSeq = this.state.version + 1n;
    const value = { $typeName: 'flunq.v1.TaskCompleted' as const, taskName, inputData, outputData, startedAtMs: startedAt, completedAtMs: BigInt(this.clock), attempt: 1 };
    return this.step('io.flunq.task.completed', taskId, { case: 'taskCompleted', value });
  }

  /** The step recording `io.flunq.execution.completed` with the workflow output. */
  completed(output: unknown): RecordEventInput {
    const payload = this.serializer.toPayload(output, { path: 'output' });
    this.state.output = payload;
    this.state.outputEventSeq = this.state.version + 1n;
    this.state.status = ExecutionStatus.COMPLETED;
    this.state.completedAtMs = BigInt(this.clock);
    return this.step('io.flunq.execution.completed', '', { case: 'executionCompleted', value: { $typeName: 'flunq.v1.ExecutionCompleted', output: payload } });
  }

  private step(type: string, taskId: string, data: EventData): RecordEventInput {
    const expectedVersion = Number(this.state.version);
    const sequence = expectedVersion + 1;
    this.state.version = BigInt(sequence);
    this.state.updatedAtMs = BigInt(this.clock);
    const event: WorkflowEvent = {
      $typeName: 'flunq.v1.WorkflowEvent',
      id: this.eventId(sequence),
      specVersion: '',
      subject: '',
      correlationId: '',
      sequence: 0n,
      source: 'flunq.io/worker',
      type,
      timeMs: BigInt(this.clock),
      tenantId: this.state.tenantId,
      workflowId: this.state.workflowId,
      executionId: this.executionId,
      taskId,
      data,
    };
    // A shallow copy is enough: records and payloads are replaced, never mutated, by the builder.
    return { event, state: { ...this.state, completedTasks: [...this.state.completedTasks] }, expectedVersion };
  }
}

/** A JSON document of about `bytes` bytes for tests: order-like records, varied enough not to flatter compression. */
export function orderDocument(bytes: number, seed: number): unknown {
  const items: unknown[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const n = (i * 2654435761 + seed * 40503) >>> 0;
    const item = { id: `ord-${n.toString(36)}`, customer: ['alpha', 'bravo', 'delta', 'echo'][n % 4], amount: (n % 100_000) / 100, paid: n % 3 === 0, at: new Date(1.7e12 + (n % 3e9)).toISOString() };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return { seed, items };
}
