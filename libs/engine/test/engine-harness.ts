import { randomUUID } from 'node:crypto';
import type { WorkflowProblem } from '@flunq/dsl';
import {
  MemoryDefinitionStore,
  MemoryExecutionIndex,
  MemoryIoStore,
  MemorySnapshotStore,
  MemoryStatsStore,
  MemoryContentIndex,
  RedisDefinitionStore,
  RedisExecutionIndex,
  RedisIoStore,
  RedisSnapshotStore,
  RedisStatsStore,
  RedisContentIndex,
  type ContentIndex,
  type DefinitionStore,
  type ExecutionIndex,
  type IoStore,
  type SnapshotStore,
  type StatsStore,
} from '@flunq/redis-store';
import { SEED_EXAMPLE_INPUT, seedExampleWorkflow } from '@flunq/redis-store/testing';
import { Redis } from 'ioredis';
import { EngineClient } from '../src/client/engine-client.js';
import { ExecutionAdvancer } from '../src/execution/advancer.js';
import { DefinitionCache } from '../src/execution/definitions.js';
import type { StepScheduler, TaskRunner, TaskRunOutcome, TaskRunRequest } from '../src/execution/ports.js';

/** The seed's example input and workflow (shared with other projects' tests). */
export const SEED_INPUT = SEED_EXAMPLE_INPUT;
export const SEED_WORKFLOW = seedExampleWorkflow();

/** A scheduler that only remembers what it was asked (the test decides when steps run). */
export class RecordingScheduler implements StepScheduler {
  readonly scheduled: { executionId: string; key: string; delayMs: number }[] = [];

  async schedule(executionId: string, key: string, delayMs: number): Promise<void> {
    this.scheduled.push({ executionId, key, delayMs });
  }
}

/** A runner whose answers a test scripts; it counts calls and how many ran at once. */
export class ScriptedRunner implements TaskRunner {
  readonly calls: TaskRunRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(public answer: (request: TaskRunRequest, signal: AbortSignal) => Promise<TaskRunOutcome> | TaskRunOutcome) {}

  async run(request: TaskRunRequest, signal: AbortSignal): Promise<TaskRunOutcome> {
    this.calls.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.answer(request, signal);
    } finally {
      this.inFlight--;
    }
  }
}

/** An answer: the output, after `ms`. */
export const after = (ms: number, output: unknown): Promise<TaskRunOutcome> =>
  new Promise((resolve) => setTimeout(() => resolve({ ok: true, output, startedAtMs: Date.now() - ms, completedAtMs: Date.now() }), ms));

/** A failed answer. */
export const failed = (error: WorkflowProblem, retryable = false): TaskRunOutcome => ({ ok: false, error, retryable });

/** Stores, client and advancer of one test, on memory or on a real Redis. */
export interface EngineHarness {
  readonly store: IoStore;
  readonly snapshots: SnapshotStore;
  readonly index: ExecutionIndex;
  /** Execution analytics, recorded by the client and the advancers. */
  readonly stats: StatsStore;
  readonly search: ContentIndex;
  readonly definitions: DefinitionStore;
  readonly scheduler: RecordingScheduler;
  readonly client: EngineClient;
  advancer(runner: TaskRunner): ExecutionAdvancer;
  close(): Promise<void>;
}

/** Limits small enough to test: 64 KiB task outputs, 256 KiB workflow inputs. */
export const TEST_LIMITS = { maxPayloadSize: 1024 * 1024, maxWorkflowInputSize: 256 * 1024, maxTaskOutputSize: 64 * 1024 };

/** A snapshot every 4 events in tests, so time travel starts from snapshots often. */
export const TEST_SNAPSHOT_EVERY = 4;

function harness(
  stores: { store: IoStore; definitions: DefinitionStore; snapshots: SnapshotStore; index: ExecutionIndex; stats: StatsStore; search: ContentIndex },
  close: () => Promise<void>,
): EngineHarness {
  const { store, definitions, snapshots, index, stats, search } = stores;
  const scheduler = new RecordingScheduler();
  const client = new EngineClient({ store, definitions, scheduler, snapshots, index, stats, search });
  const cache = new DefinitionCache(definitions);
  const advancer = (runner: TaskRunner) => new ExecutionAdvancer({ store, definitions: cache, runner, scheduler, snapshots, snapshotEvery: TEST_SNAPSHOT_EVERY, index, stats, search });
  return { ...stores, scheduler, client, advancer, close };
}

/** On the in-memory adapters. */
export function memoryHarness(): EngineHarness {
  const stores = { store: new MemoryIoStore({ limits: TEST_LIMITS }), definitions: new MemoryDefinitionStore(), snapshots: new MemorySnapshotStore(), index: new MemoryExecutionIndex(), stats: new MemoryStatsStore(), search: new MemoryContentIndex() };
  return harness(stores, async () => undefined);
}

/** On a real Redis (`redisUrl`), under a key prefix of its own. */
export function redisHarness(redisUrl: string): EngineHarness {
  const redis = new Redis(redisUrl);
  const keyPrefix = `engine-test-${randomUUID()}:`;
  const store = new RedisIoStore({ redis, keyPrefix, limits: TEST_LIMITS });
  const definitions = new RedisDefinitionStore({ redis, keyPrefix });
  const stores = { store, definitions, snapshots: new RedisSnapshotStore({ redis, keyPrefix }), index: new RedisExecutionIndex({ redis, keyPrefix }), stats: new RedisStatsStore({ redis, keyPrefix }), search: new RedisContentIndex({ redis, keyPrefix }) };
  return harness(stores, async () => {
    redis.disconnect();
  });
}
