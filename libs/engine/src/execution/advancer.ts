import {
  completeTask,
  cursorOf,
  decideAll,
  evaluateJq,
  failTask,
  parseTaskPointer,
  SYSTEM_CLOCK,
  threadOf,
  workflowError,
  type Decision,
  type EngineClock,
  type EngineEvent,
  type Evaluate,
} from '@flunq/dsl';
import type { ExecutionIndex, IoStore, SnapshotStore, StatsStore } from '@flunq/redis-store';
import { createPayloadSerializer, type PayloadSerializer } from '@flunq/serializer';
import type { ExecutionSnapshot, StepOptions } from '../records/build-step.js';
import { attemptOf, taskDeadline } from './call-details.js';
import type { DefinitionCache } from './definitions.js';
import { loadExecution } from './load-execution.js';
import type { StepScheduler, TaskRunner } from './ports.js';
import { StepRecorder, type StepListener, type StepRecorderOptions } from './step-recorder.js';

type RunDecision = Extract<Decision, { kind: 'run' }>;

/** Dependencies and settings of an {@link ExecutionAdvancer}. */
export interface AdvancerOptions {
  readonly store: IoStore;
  readonly definitions: DefinitionCache;
  readonly runner: TaskRunner;
  readonly scheduler: StepScheduler;
  readonly serializer?: PayloadSerializer;
  readonly clock?: EngineClock;
  readonly evaluate?: Evaluate;
  /** Longest wait for a `call` without its own `timeout`. Default 5 minutes. */
  readonly taskTimeoutMs?: number;
  readonly onStep?: StepListener;
  /** Time-travel snapshots (see `StepRecorder`): where, how often, kept how long after the end. */
  readonly snapshots?: SnapshotStore;
  readonly snapshotEvery?: number;
  readonly snapshotTtlMs?: number;
  /** The listing of executions, updated when one ends. */
  readonly index?: ExecutionIndex;
  /** Execution analytics (see `StepRecorder`); its failures go to `onStatsError`, never fail a step. */
  readonly stats?: StatsStore;
  readonly onStatsError?: StepRecorderOptions['onStatsError'];
  /** Content search, updated with each task's end and when an execution ends. */
  readonly search?: StepRecorderOptions['search'];
  /** What the content search indexes (as the io-api's `searchPlanOf` options). */
  readonly searchOptions?: StepRecorderOptions['searchOptions'];
  /** See {@link StepRecorderOptions.searchDelayMs}. */
  readonly searchDelayMs?: StepRecorderOptions['searchDelayMs'];
  readonly onSearchError?: StepRecorderOptions['onSearchError'];
}

/** How an `advance` call left the execution. */
export interface AdvanceResult {
  /** The engine status, or `missing` when no such execution is stored. */
  readonly status: 'missing' | 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  /** The stored version (number of events) at the end. */
  readonly version: number;
}

/**
 * Drives executions: reads one back, then records every step it can take now (local
 * tasks, dispatches, executor results, due delays), running the calls of concurrent fork
 * branches at the same time, until it ends or only waits remain (scheduled as delayed
 * steps). Any number of advancers may work on one execution: each write is checked
 * against the stored version, a loser reloads and goes on, so nothing is recorded twice.
 */
export class ExecutionAdvancer {
  private readonly serializer: PayloadSerializer;
  private readonly clock: EngineClock;
  private readonly evaluate: Evaluate;
  private readonly recorder: StepRecorder;
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly options: AdvancerOptions) {
    this.serializer = options.serializer ?? createPayloadSerializer();
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.evaluate = options.evaluate ?? evaluateJq;
    const { store, onStep, snapshots, snapshotEvery, snapshotTtlMs, index, stats, onStatsError, search, searchOptions, searchDelayMs, onSearchError } = options;
    const derived = { snapshots, snapshotEvery, snapshotTtlMs, index, stats, onStatsError, search, searchOptions, searchDelayMs, onSearchError };
    this.recorder = new StepRecorder({ store, serializer: this.serializer, evaluate: this.evaluate, clock: this.clock, onStep, ...derived });
  }

  /** Stops the in-flight task calls of an execution this advancer is driving (it was cancelled). */
  abort(executionId: string): void {
    this.running.get(executionId)?.abort(new Error('execution cancelled'));
  }

  /** Advances one execution as far as it can go now. */
  async advance(executionId: string): Promise<AdvanceResult> {
    const controller = new AbortController();
    this.running.set(executionId, controller);
    try {
      return await new Advance(this, executionId, controller.signal).run();
    } finally {
      if (this.running.get(executionId) === controller) this.running.delete(executionId);
    }
  }

  /** @internal */ load(executionId: string) {
    return loadExecution(this.options.store, executionId, this.options.definitions, this.serializer);
  }

  /** @internal */ get settings(): AdvanceSettings {
    const { runner, scheduler } = this.options;
    return { runner, scheduler, clock: this.clock, evaluate: this.evaluate, recorder: this.recorder, taskTimeoutMs: this.options.taskTimeoutMs ?? 300_000 };
  }
}

/** What one {@link Advance} works with. */
interface AdvanceSettings {
  readonly runner: TaskRunner;
  readonly scheduler: StepScheduler;
  readonly clock: EngineClock;
  readonly evaluate: Evaluate;
  readonly recorder: StepRecorder;
  readonly taskTimeoutMs: number;
}

/** One `advance` call: its snapshot, its in-flight calls, its scheduled wake-ups. */
class Advance {
  private snapshot: ExecutionSnapshot | undefined;
  /** Calls running now, by `<pointer>@<dispatch version>`, each stoppable on its own. */
  private readonly inflight = new Map<string, { readonly done: Promise<void>; readonly stop: AbortController }>();
  private readonly scheduled = new Set<string>();
  private exclusive: Promise<unknown> = Promise.resolve();
  private readonly s: AdvanceSettings;
  private readonly reload: () => Promise<ExecutionSnapshot | undefined>;

  constructor(
    advancer: ExecutionAdvancer,
    private readonly executionId: string,
    private readonly signal: AbortSignal,
  ) {
    this.s = advancer.settings;
    this.reload = () => advancer.load(executionId);
  }

  async run(): Promise<AdvanceResult> {
    this.snapshot = await this.reload();
    try {
      for (;;) {
        const snapshot = this.snapshot;
        if (!snapshot || snapshot.engine.status !== 'running') break;
        const local = await this.startWork(snapshot);
        if (local) {
          await this.serially(() => this.record(local.event, local.extra));
          continue;
        }
        if (this.inflight.size === 0) break;
        await Promise.race([...this.inflight.values()].map((call) => call.done));
      }
    } finally {
      // Ended (completed elsewhere, cancelled) or failed: calls still running have no one to report to.
      for (const call of this.inflight.values()) call.stop.abort(new Error('execution no longer waits for this task'));
      await Promise.allSettled([...this.inflight.values()].map((call) => call.done));
    }
    const snapshot = this.snapshot;
    return snapshot ? { status: snapshot.engine.status, version: Number(snapshot.state.version) } : { status: 'missing', version: 0 };
  }

  /** Starts the calls and schedules the delays of every thread; returns a step to record now, if any. */
  private async startWork(snapshot: ExecutionSnapshot): Promise<{ event: EngineEvent; extra?: Partial<StepOptions> } | undefined> {
    const now = this.s.clock.now();
    const decisions = decideAll(snapshot.definition, snapshot.engine, this.s.evaluate, this.s.clock);
    this.stopAbandoned(decisions);
    for (const decision of decisions) {
      if (decision.kind === 'record') return { event: decision.event };
      if (decision.kind === 'delay') {
        const due = decision.dueAt ?? now + decision.durationMs;
        if (due <= now) return { event: decision.event, extra: this.timesOf(snapshot, decision.event, now) };
        if (!this.scheduled.has(decision.key)) {
          this.scheduled.add(decision.key);
          await this.s.scheduler.schedule(this.executionId, decision.key, due - now);
        }
      }
      if (decision.kind === 'run') {
        const key = `${decision.pointer}@${decision.dispatched}`;
        if (!this.inflight.has(key)) {
          const stop = new AbortController();
          const signal = AbortSignal.any([this.signal, stop.signal]);
          this.inflight.set(key, { stop, done: this.call(snapshot, decision, key, signal).finally(() => this.inflight.delete(key)) });
        }
      }
    }
    return undefined;
  }

  /** Aborts the calls no thread waits for any more (a `compete` fork's losers, a `try` being retried). */
  private stopAbandoned(decisions: readonly Decision[]): void {
    const wanted = new Set(decisions.flatMap((d) => (d.kind === 'run' ? [`${d.pointer}@${d.dispatched}`] : [])));
    for (const [key, call] of this.inflight) if (!wanted.has(key)) call.stop.abort(new Error('task abandoned'));
  }

  /** Runs one call on an executor and records its result, if the task is still waiting for it. */
  private async call(snapshot: ExecutionSnapshot, decision: RunDecision, key: string, signal: AbortSignal): Promise<void> {
    const request = {
      identity: snapshot.identity,
      pointer: decision.pointer,
      taskName: parseTaskPointer(decision.pointer)?.name ?? decision.pointer,
      task: decision.task,
      input: decision.input,
      attempt: attemptOf(snapshot.engine, decision.pointer),
      idempotencyKey: `${snapshot.identity.executionId}/${key}`,
      deadlineMs: taskDeadline(decision.task, this.s.clock.now(), this.s.taskTimeoutMs),
    };
    const outcome = await this.s.runner.run(request, signal);
    await this.serially(async () => {
      const current = this.snapshot;
      const cursor = current && cursorOf(current.engine, threadOf(decision.pointer));
      // Cancelled, abandoned by a compete fork, or recorded by another worker meanwhile: not ours to record.
      if (!current || current.engine.status !== 'running' || cursor?.position !== decision.pointer || cursor.dispatch?.version !== decision.dispatched) return;
      const now = this.s.clock.now();
      const times = { startedAtMs: outcome.startedAtMs ?? cursor.dispatch.at ?? now, completedAtMs: outcome.completedAtMs ?? now, attempt: request.attempt };
      const event = outcome.ok ? this.completed(current, decision, outcome.output) : failTask(current.definition, current.engine, decision.pointer, outcome.error, this.s.evaluate);
      await this.record(event, { task: times });
    });
  }

  /** The completion of a call; an `output.as`/`export.as` that fails fails the task with the DSL's expression error. */
  private completed(snapshot: ExecutionSnapshot, decision: RunDecision, output: unknown): EngineEvent {
    try {
      return completeTask(snapshot.definition, snapshot.engine, decision.pointer, decision.input, output, this.s.evaluate);
    } catch (error) {
      const problem = workflowError('expression', decision.pointer, { title: 'Expression failed', detail: error instanceof Error ? error.message : String(error) }).problem;
      return failTask(snapshot.definition, snapshot.engine, decision.pointer, problem, this.s.evaluate);
    }
  }

  /** Task timings of a due delay's event (a `wait` completing: from its dispatch to now). */
  private timesOf(snapshot: ExecutionSnapshot, event: EngineEvent, now: number): Partial<StepOptions> | undefined {
    if (event.type !== 'task.completed') return undefined;
    const dispatch = cursorOf(snapshot.engine, threadOf(event.pointer))?.dispatch;
    return { task: { startedAtMs: dispatch?.at ?? now, completedAtMs: now, attempt: attemptOf(snapshot.engine, event.pointer) } };
  }

  private async record(event: EngineEvent, extra?: Partial<StepOptions>): Promise<void> {
    if (!this.snapshot) return;
    const result = await this.s.recorder.record(this.snapshot, event, extra);
    this.snapshot = result.outcome === 'conflict' ? await this.reload() : result.snapshot;
  }

  /** Runs `task` after every earlier one: steps of one execution are written one at a time. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const next = this.exclusive.then(task, task);
    this.exclusive = next.catch(() => undefined);
    return next;
  }
}
