import { applyEvent, type EngineEvent, type ExecutionState } from '@flunq/dsl';
import type { WorkflowState } from '@flunq/proto-types';
import type { RecordEventInput } from '@flunq/redis-store';
import type { PayloadSerializer } from '@flunq/serializer';
import { toWorkflowEvent, type ExecutionIdentity } from './event-mapping.js';
import { projectState } from './state-projection.js';

/** An execution as the engine holds it between steps: who it is, its definition, both states. */
export interface ExecutionSnapshot {
  readonly identity: ExecutionIdentity;
  /** The parsed (frozen) definition of the version the execution started with. */
  readonly definition: unknown;
  /** The DSL engine's state: a fold of the recorded events. */
  readonly engine: ExecutionState;
  /** The stored state (the seed's shape), at the same version as `engine`. */
  readonly state: WorkflowState;
}

/** What {@link buildStep} needs besides the snapshot and the event. */
export interface StepOptions {
  readonly serializer: PayloadSerializer;
  readonly eventId: string;
  readonly timeMs: number;
  readonly rawInput?: unknown;
  readonly task?: { readonly startedAtMs: number; readonly completedAtMs: number; readonly attempt: number };
}

/**
 * One step, ready for `IoStore.recordEvent`, and the snapshot it leads to. Everything that
 * can refuse the step happens here, before any write: the reducer (an event that does not
 * fit the state throws `FlowError`), payload validation and limits (typed serializer errors).
 */
export function buildStep(snapshot: ExecutionSnapshot, event: EngineEvent, options: StepOptions): { record: RecordEventInput; next: ExecutionSnapshot } {
  const engine = applyEvent(snapshot.definition, snapshot.engine, event);
  const stored = toWorkflowEvent(event, { ...options, identity: snapshot.identity, before: snapshot.engine });
  const expectedVersion = Number(snapshot.state.version);
  const contextChanged = event.type === 'task.completed' && event.context !== snapshot.engine.context;
  const state = projectState(snapshot.state, event, stored, engine, expectedVersion + 1, options.serializer, contextChanged);
  return { record: { event: stored, state, expectedVersion }, next: { ...snapshot, engine, state } };
}
