import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { StepScheduler } from '../execution/ports.js';

/** Name of the BullMQ queue of execution steps. */
export const STEP_QUEUE = 'steps';
/** Default BullMQ key prefix: a hash tag, so every key of the queue sits in one Redis Cluster slot. */
export const DEFAULT_QUEUE_PREFIX = '{flunq}';

/** A step job: advance this execution (`key` says why: `start`, a wake-up, a resume). */
export interface StepJobData {
  readonly executionId: string;
  readonly key: string;
}

/** The job id of a step: the same (execution, key) is one job, however often it is scheduled. */
export function stepJobId(executionId: string, key: string): string {
  // BullMQ refuses ':' in custom ids; keys are pointers plus a version or attempt.
  return `${executionId}~${key}`.replace(/[^A-Za-z0-9_.@#~/=+-]/g, '_');
}

/** Retry policy of step jobs: an executor that cannot be reached, a Redis hiccup. */
export const STEP_JOB_OPTIONS = {
  attempts: 50,
  backoff: { type: 'exponential', delay: 250 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** Schedules steps as BullMQ jobs (delayed jobs for waits and retry back-offs). */
export class BullStepScheduler implements StepScheduler {
  constructor(private readonly queue: Queue<StepJobData>) {}

  async schedule(executionId: string, key: string, delayMs: number): Promise<void> {
    await this.queue.add('advance', { executionId, key }, { ...STEP_JOB_OPTIONS, jobId: stepJobId(executionId, key), delay: Math.max(0, Math.round(delayMs)) });
  }
}

/** Options of {@link createStepQueue} and {@link createStepWorker}. */
export interface StepQueueOptions {
  /** ioredis options or instance for BullMQ (workers need `maxRetriesPerRequest: null`). */
  readonly connection: ConnectionOptions;
  /** Default {@link DEFAULT_QUEUE_PREFIX}. */
  readonly prefix?: string;
}

/** The queue executions are scheduled on. */
export function createStepQueue(options: StepQueueOptions): Queue<StepJobData> {
  return new Queue<StepJobData>(STEP_QUEUE, { connection: options.connection, prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX });
}

/** Settings of a step worker. */
export interface StepWorkerOptions extends StepQueueOptions {
  /** Steps processed at once. Default 16. */
  readonly concurrency?: number;
  /** How often stalled jobs (a worker died holding them) are looked for, ms. Default 30 s. */
  readonly stalledIntervalMs?: number;
  /** A job's lock; a worker that stops renewing it for this long is presumed dead. Default 30 s. */
  readonly lockDurationMs?: number;
}

/**
 * A BullMQ worker running `process` for each step job. A job whose worker died is picked
 * up again by another (stalled-job recovery, up to 1000 times), which is safe because
 * every step is written with a version check.
 */
export function createStepWorker(options: StepWorkerOptions, process: (job: Job<StepJobData>) => Promise<unknown>): Worker<StepJobData> {
  return new Worker<StepJobData>(STEP_QUEUE, process, {
    connection: options.connection,
    prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX,
    concurrency: options.concurrency ?? 16,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    lockDuration: options.lockDurationMs ?? 30_000,
    maxStalledCount: 1000,
  });
}
