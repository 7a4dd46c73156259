import { evaluateJq, INITIAL_STATE, parseDefinition, startExecution, SYSTEM_CLOCK, type EngineClock, type ExecutionState } from '@flunq/dsl';
import type { WorkflowState } from '@flunq/proto-types';
import type { DefinitionStore, ExecutionIndex, IoStore, RegisterDefinitionResult, SnapshotStore, StatsStore } from '@flunq/redis-store';
import { createPayloadSerializer, type PayloadSerializer } from '@flunq/serializer';
import { DefinitionCache } from '../execution/definitions.js';
import { loadExecution } from '../execution/load-execution.js';
import type { StepScheduler } from '../execution/ports.js';
import { StepRecorder, type StepRecorderOptions } from '../execution/step-recorder.js';
import { emptyWorkflowState } from '../records/state-projection.js';
import { stateAt } from '../execution/time-travel.js';
import { recordReplay, type ReplayOptions } from './replay.js';

/** Dependencies of an {@link EngineClient}. */
export interface EngineClientOptions {
  readonly store: IoStore;
  readonly definitions: DefinitionStore;
  readonly scheduler: StepScheduler;
  readonly serializer?: PayloadSerializer;
  readonly clock?: EngineClock;
  /** Told about each cancelled execution, so workers stop its in-flight task (e.g. a Redis PUBLISH). */
  readonly onCancelled?: (executionId: string) => Promise<void> | void;
  /** Time-travel snapshots: `stateAt` starts from the latest one at or before the event asked for. */
  readonly snapshots?: SnapshotStore;
  /** The listing of executions, told about starts, replays and cancellations. */
  readonly index?: ExecutionIndex;
  /** Execution analytics, told about starts and cancellations (see `StepRecorder`); never fails a step. */
  readonly stats?: StatsStore;
  readonly onStatsError?: StepRecorderOptions['onStatsError'];
  /** Content search, updated when an execution starts (its input) and is cancelled. */
  readonly search?: StepRecorderOptions['search'];
  /** What the content search indexes (as the io-api's `searchPlanOf` options). */
  readonly searchOptions?: StepRecorderOptions['searchOptions'];
}

/** What to start. */
export interface StartExecutionInput {
  readonly tenantId: string;
  readonly workflowId: string;
  /** Default: the latest registered version. */
  readonly version?: string;
  readonly input: unknown;
  readonly correlationId?: string;
  /** Default: a new UUID. */
  readonly executionId?: string;
}

/** A started execution. */
export interface StartedExecution {
  readonly executionId: string;
  readonly workflowId: string;
  readonly version: string;
  readonly status: ExecutionState['status'];
  /** The execution this one replays, for a replay. */
  readonly replayOf?: string;
}

/** An execution that does not exist. */
export class ExecutionNotFoundError extends Error {
  readonly code = 'EXECUTION_NOT_FOUND';

  constructor(readonly executionId: string) {
    super(`execution ${executionId} does not exist`);
    this.name = 'ExecutionNotFoundError';
  }
}

/**
 * Registers definitions and starts, cancels and resumes executions: what io-api and the
 * CLI use. Everything is checked before anything is written (the definition by the DSL
 * parser, the input against `MAX_WORKFLOW_INPUT_SIZE`).
 */
export class EngineClient {
  private readonly serializer: PayloadSerializer;
  private readonly clock: EngineClock;
  private readonly cache: DefinitionCache;
  private readonly recorder: StepRecorder;

  constructor(private readonly options: EngineClientOptions) {
    this.serializer = options.serializer ?? createPayloadSerializer();
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.cache = new DefinitionCache(options.definitions);
    const { store, snapshots, index, stats, onStatsError, search, searchOptions } = options;
    this.recorder = new StepRecorder({ store, serializer: this.serializer, evaluate: evaluateJq, clock: this.clock, snapshots, index, stats, onStatsError, search, searchOptions });
  }

  /**
   * Registers a definition (YAML or JSON) under its `document.name` and `document.version`.
   * @throws DefinitionError (invalid definition), DefinitionConflictError (same version, other text)
   */
  async registerDefinition(tenantId: string, source: string): Promise<RegisterDefinitionResult & { workflowId: string }> {
    const definition = parseDefinition(source) as { document: { name: string; version: string } };
    const workflowId = definition.document.name;
    const result = await this.options.definitions.register({ tenantId, workflowId, version: definition.document.version, source });
    return { ...result, workflowId };
  }

  /**
   * Records `io.flunq.execution.started` with the input and the initial state in one write,
   * then schedules the first step.
   * @throws DefinitionNotFoundError, PayloadTooLargeError and other serializer errors (nothing written)
   */
  async startExecution(input: StartExecutionInput): Promise<StartedExecution> {
    const resolved = await this.cache.resolve(input.tenantId, input.workflowId, input.version);
    const executionId = input.executionId ?? this.clock.newId();
    const identity = { executionId, tenantId: input.tenantId, workflowId: input.workflowId, workflowVersion: resolved.version, correlationId: input.correlationId ?? '' };
    const snapshot = { identity, definition: resolved.definition, engine: INITIAL_STATE, state: emptyWorkflowState(identity, this.clock.now()) };
    const started = startExecution(resolved.definition, input.input, evaluateJq);
    const result = await this.recorder.record(snapshot, started, { rawInput: input.input });
    if (result.outcome === 'conflict') throw new Error(`execution ${executionId} already exists`);
    await this.options.scheduler.schedule(executionId, 'start', 0);
    return { executionId, workflowId: input.workflowId, version: resolved.version, status: result.snapshot.engine.status };
  }

  /**
   * Cancels a running execution: records `io.flunq.execution.cancelled` (retrying on
   * concurrent writes) and tells the workers to stop its in-flight task. A finished
   * execution is left as it is.
   * @throws ExecutionNotFoundError
   */
  async cancelExecution(executionId: string, reason = 'cancelled by request'): Promise<ExecutionState['status']> {
    for (;;) {
      const snapshot = await loadExecution(this.options.store, executionId, this.cache, this.serializer);
      if (!snapshot) throw new ExecutionNotFoundError(executionId);
      if (snapshot.engine.status !== 'running' && snapshot.engine.status !== 'pending') return snapshot.engine.status;
      const result = await this.recorder.record(snapshot, { type: 'execution.cancelled', reason });
      if (result.outcome === 'recorded') {
        await this.options.onCancelled?.(executionId);
        return 'cancelled';
      }
    }
  }

  /**
   * The stored state as it was right after event `n` (time travel; payloads may be
   * references to events: hydrate with the store to show them).
   * @throws InvalidArgumentError when `n` is not in 1..(events recorded)
   */
  stateAt(executionId: string, n: number): Promise<WorkflowState | undefined> {
    const { store, snapshots } = this.options;
    return stateAt({ store, definitions: this.cache, serializer: this.serializer, ...(snapshots ? { snapshots } : {}) }, executionId, n);
  }

  /**
   * Runs an execution again as a new one linked to it (`replay_of`): same definition version
   * and input, or an edited input, or from a step on (the outputs recorded before that step
   * are reused, not run again).
   * @throws ExecutionNotFoundError, InvalidArgumentError
   */
  async replay(executionId: string, options: ReplayOptions = {}): Promise<StartedExecution> {
    const original = await loadExecution(this.options.store, executionId, this.cache, this.serializer);
    if (!original) throw new ExecutionNotFoundError(executionId);
    const replayId = this.clock.newId();
    const deps = { store: this.options.store, recorder: this.recorder, serializer: this.serializer, now: this.clock.now() };
    const replay = await recordReplay(deps, original, replayId, options);
    await this.options.scheduler.schedule(replayId, 'start', 0);
    return { executionId: replayId, workflowId: original.identity.workflowId, version: original.identity.workflowVersion, status: replay.engine.status, replayOf: executionId };
  }

  /** Schedules a step for an execution again (after an outage, or by an operator). */
  async resumeExecution(executionId: string): Promise<void> {
    await this.options.scheduler.schedule(executionId, `resume-${this.clock.now()}`, 0);
  }
}
