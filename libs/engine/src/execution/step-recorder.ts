import { failTask, workflowError, type EngineClock, type EngineEvent, type Evaluate } from '@flunq/dsl';
import {
  VersionConflictError,
  type ContentIndex,
  type ExecutionIndex,
  type IoStore,
  type PayloadDirection,
  type PayloadSample,
  type RecordEventInput,
  type SnapshotStore,
  type StatsSample,
  type StatsStore,
} from '@flunq/redis-store';
import type { Payload, WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import { SerializationError, type PayloadSerializer } from '@flunq/serializer';
import { buildStep, type ExecutionSnapshot, type StepOptions } from '../records/build-step.js';
import { DeferredIndexer } from '../search/deferred-indexer.js';
import { indexExecution } from '../search/search-indexer.js';
import type { SearchOptions } from '@flunq/query';
import { engineSnapshotValue } from './time-travel.js';

/** What happened to a step handed to {@link StepRecorder.record}. */
export type RecordOutcome = 'recorded' | 'conflict';

/** A recorded step, as observers (metrics, logs) see it. */
export interface RecordedStep {
  readonly snapshot: ExecutionSnapshot;
  readonly event: EngineEvent;
  /** The event as stored (payload sizes, ids). */
  readonly stored: WorkflowEvent;
  /** Time to build the step: reduce, validate and encode its payloads, ms. */
  readonly encodeMs: number;
  /** Time from building to stored, ms. */
  readonly durationMs: number;
}

/** What writing a step did. */
type WriteOutcome = 'appended' | 'duplicate' | 'conflict';

/** Observes recorded steps (metrics, logs). */
export type StepListener = (step: RecordedStep) => void;

/** Dependencies of a {@link StepRecorder}. */
export interface StepRecorderOptions {
  readonly store: IoStore;
  readonly serializer: PayloadSerializer;
  readonly evaluate: Evaluate;
  readonly clock: EngineClock;
  readonly onStep?: StepListener;
  /** Where time-travel snapshots go; none when absent. */
  readonly snapshots?: SnapshotStore;
  /** A snapshot after every this many events. Default {@link DEFAULT_SNAPSHOT_EVERY}. */
  readonly snapshotEvery?: number;
  /** TTL of an ended execution's snapshots, as its stream's (`EVENT_RETENTION_DAYS`). Default 30 days; 0 keeps them. */
  readonly snapshotTtlMs?: number;
  /** The listing of executions, told when one starts and when it ends. */
  readonly index?: ExecutionIndex;
  /**
   * Content search (`?q=`), updated at the start of each execution, after each task while the
   * state holds every task record (the first 100), and at the end.
   */
  readonly search?: ContentIndex;
  /** What the content search indexes (depth, value length): the same as the io-api's, see {@link searchPlanOf}. */
  readonly searchOptions?: SearchOptions;
  /**
   * A task's end reaches the search index within this many ms, coalesced and off the step's path
   * (`FLUNQ_SEARCH_DELAY`); 0 (the default) indexes it within the step. Starts and ends: always at once.
   */
  readonly searchDelayMs?: number;
  /** Told when a deferred search update failed (derived data: never fails a step). */
  readonly onSearchError?: (error: unknown, executionId: string) => void;
  /** Execution analytics, told about each start, end and task end (see {@link statsSampleOf}). */
  readonly stats?: StatsStore;
  /**
   * Told when `stats` failed to record a step. Statistics are derived data: such a failure
   * never fails the step (the numbers just miss it). Default: ignored.
   */
  readonly onStatsError?: (error: unknown, step: { executionId: string; eventType: string }) => void;
}

/** Default snapshot interval: "state after event N" folds at most this many events. */
export const DEFAULT_SNAPSHOT_EVERY = 100;

const ENDED = new Set(['completed', 'failed', 'cancelled']);

/** A state whose payloads carried by events are left as references (as the store keeps them), so snapshots stay small. */
function withReferences(state: WorkflowState): WorkflowState {
  return {
    ...state,
    input: state.inputEventSeq > 0n ? undefined : state.input,
    output: state.outputEventSeq > 0n ? undefined : state.output,
    completedTasks: state.completedTasks.map((task) => (task.eventSeq > 0n ? { ...task, input: undefined, output: undefined } : task)),
  };
}

/** Bytes of a payload as stored: inline, or at its claim check. */
function payloadSample(direction: PayloadDirection, payload: Payload | undefined): PayloadSample[] {
  if (!payload) return [];
  const storedBytes = payload.claimCheck ? Number(payload.claimCheck.storedSize) : payload.data.length;
  return [{ direction, originalBytes: Number(payload.originalSize), storedBytes }];
}

/**
 * What a recorded event adds to the statistics: execution starts and ends (with the
 * execution's duration so far), task ends (with the task's duration), and the payloads of
 * those events. `task.started` adds nothing (its input is in the task's end event too).
 */
export function statsSampleOf(state: WorkflowState, stored: WorkflowEvent): StatsSample | undefined {
  const base = { workflowId: state.workflowId, atMs: Number(stored.timeMs) };
  const elapsed = Math.max(0, Number(stored.timeMs - state.createdAtMs));
  const { data } = stored;
  switch (data.case) {
    case 'executionStarted':
      return { ...base, kind: 'execution.started', payloads: payloadSample('input', data.value.input) };
    case 'executionCompleted':
      return { ...base, kind: 'execution.completed', durationMs: elapsed, payloads: payloadSample('output', data.value.output) };
    case 'executionFailed':
      return { ...base, kind: 'execution.failed', durationMs: elapsed };
    case 'executionCancelled':
      return { ...base, kind: 'execution.cancelled', durationMs: elapsed };
    case 'taskCompleted':
    case 'taskFailed': {
      const { taskName, startedAtMs, completedAtMs } = data.value;
      const durationMs = Math.max(0, Number(completedAtMs - startedAtMs));
      const payloads = [...payloadSample('input', data.value.inputData), ...(data.case === 'taskCompleted' ? payloadSample('output', data.value.outputData) : [])];
      return { ...base, kind: data.case === 'taskCompleted' ? 'task.completed' : 'task.failed', taskName: taskName || '(unnamed)', durationMs, payloads };
    }
    default:
      return undefined;
  }
}

interface BuiltStep {
  readonly record: RecordEventInput;
  readonly next: ExecutionSnapshot;
  readonly event: EngineEvent;
}

/**
 * Writes engine events as steps (event + state, atomically, with a version check). A
 * task whose output breaks a limit or cannot be stored fails that task instead (its
 * `try`/`catch` and retry policy apply); any other unstorable value fails the execution.
 * Nothing is half-written: the serializer and the store check everything before writing.
 */
export class StepRecorder {
  private readonly deferred: DeferredIndexer | undefined;

  constructor(private readonly options: StepRecorderOptions) {
    const { search, store, serializer, searchOptions, searchDelayMs = 0 } = options;
    this.deferred =
      search && searchDelayMs > 0
        ? new DeferredIndexer(
            searchDelayMs,
            async (executionId) => {
              const state = await store.readState(executionId, { hydrate: false });
              if (state) await indexExecution(search, store, serializer, state, searchOptions);
            },
            options.onSearchError,
          )
        : undefined;
  }

  /** Records `event` on `snapshot`: the new snapshot, or `conflict` when another writer got there first. */
  async record(snapshot: ExecutionSnapshot, event: EngineEvent, extra: Partial<StepOptions> = {}): Promise<{ outcome: RecordOutcome; snapshot: ExecutionSnapshot }> {
    const started = performance.now();
    let step: BuiltStep;
    let written: WriteOutcome;
    let encoded = started;
    try {
      step = this.build(snapshot, event, extra);
      encoded = performance.now();
      written = await this.write(step.record);
    } catch (error) {
      // A start with an unstorable input is refused (nothing exists yet to record a failure on).
      if (!(error instanceof SerializationError) || event.type === 'execution.started') throw error;
      step = this.build(snapshot, this.unstorable(snapshot, event, error), {});
      encoded = performance.now();
      written = await this.write(step.record);
    }
    if (written === 'conflict') return { outcome: 'conflict', snapshot };
    await this.keepSnapshot(step.next);
    await this.indexStep(step.next, step.event);
    // A step delivered again (duplicate) was counted by the writer that appended it.
    if (written === 'appended') await this.countStep(step.next, step.record.event);
    const now = performance.now();
    this.options.onStep?.({ snapshot: step.next, event: step.event, stored: step.record.event, encodeMs: encoded - started, durationMs: now - started });
    return { outcome: 'recorded', snapshot: step.next };
  }

  /** Time-travel snapshots: one every `snapshotEvery` events; their TTL once the execution ends. */
  private async keepSnapshot(next: ExecutionSnapshot): Promise<void> {
    const { snapshots, serializer } = this.options;
    if (!snapshots) return;
    const id = next.identity.executionId;
    const sequence = Number(next.state.version);
    if (sequence % (this.options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY) === 0) {
      await snapshots.put(id, { sequence, engine: serializer.toPayload(engineSnapshotValue(next.engine), { path: 'engine snapshot' }), state: withReferences(next.state) });
    }
    if (ENDED.has(next.engine.status)) await snapshots.expire(id, this.options.snapshotTtlMs ?? 30 * 86_400_000);
  }

  /**
   * Updates the content search with each step that changes what it finds: the start (input),
   * each task's end while the state holds every task record (past that, reading every task back
   * at each step would cost O(n) per step: the rest is indexed at the end), and the end (output,
   * variables, every task's input and output). The listing changes at the start and the end.
   */
  private async indexStep(next: ExecutionSnapshot, event: EngineEvent): Promise<void> {
    const { index, search, searchOptions, store, serializer } = this.options;
    const { state } = next;
    const boundary = event.type === 'execution.started' || ENDED.has(next.engine.status);
    const taskEnded = (event.type === 'task.completed' || event.type === 'task.failed') && state.taskCount <= state.completedTasks.length;
    if (search && boundary) this.deferred?.cancel(state.id);
    if (search && taskEnded && this.deferred) this.deferred.later(state.id);
    else if (search && (boundary || taskEnded)) await indexExecution(search, store, serializer, state, searchOptions);
    if (!index || !boundary) return;
    await index.upsert({
      executionId: state.id,
      tenantId: state.tenantId,
      workflowId: state.workflowId,
      workflowVersion: state.workflowVersion,
      status: state.status,
      createdAtMs: Number(state.createdAtMs),
      updatedAtMs: Number(state.updatedAtMs),
      completedAtMs: Number(state.completedAtMs),
      correlationId: state.correlationId,
      replayOf: state.replayOf,
    });
  }

  /** Adds the step to the statistics; a failure is reported to `onStatsError`, never thrown (derived data). */
  private async countStep(next: ExecutionSnapshot, stored: WorkflowEvent): Promise<void> {
    const { stats, onStatsError } = this.options;
    if (!stats) return;
    try {
      const sample = statsSampleOf(next.state, stored);
      if (sample) await stats.record(next.state.tenantId, sample);
    } catch (error) {
      onStatsError?.(error, { executionId: next.state.id, eventType: stored.type || String(stored.data.case) });
    }
  }

  /** Writes a step: `conflict` when another writer recorded this version first. */
  private async write(record: RecordEventInput): Promise<WriteOutcome> {
    try {
      return (await this.options.store.recordEvent(record)).outcome;
    } catch (error) {
      if (error instanceof VersionConflictError) return 'conflict';
      throw error;
    }
  }

  private build(snapshot: ExecutionSnapshot, event: EngineEvent, extra: Partial<StepOptions>): BuiltStep {
    const options: StepOptions = { serializer: this.options.serializer, eventId: this.options.clock.newId(), timeMs: this.options.clock.now(), ...extra };
    return { ...buildStep(snapshot, event, options), event };
  }

  /** The event recorded instead of one whose values cannot be stored. */
  private unstorable(snapshot: ExecutionSnapshot, event: EngineEvent, error: SerializationError): EngineEvent {
    const { definition, engine } = snapshot;
    if (event.type === 'task.completed') {
      const problem = workflowError('runtime', event.pointer, { status: 413, title: 'Task output cannot be stored', detail: error.message }).problem;
      return failTask(definition, engine, event.pointer, problem, this.options.evaluate);
    }
    const instance = 'pointer' in event ? event.pointer : '/';
    return { type: 'execution.failed', error: workflowError('runtime', instance, { status: 413, title: 'Value cannot be stored', detail: error.message }).problem };
  }
}
