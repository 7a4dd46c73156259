import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { DEFAULT_QUEUE_PREFIX } from '../queue/step-queue.js';

/** Name of the BullMQ queue of maintenance jobs (retention, reindex, compression, migration). */
export const MAINTENANCE_QUEUE = 'maintenance';

/** The maintenance jobs. */
export const MAINTENANCE_JOBS = ['retention', 'reindex', 'compression', 'migration'] as const;
/** A maintenance job's name. */
export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[number];

/** What a maintenance job is asked: `tenantId` limits a reindex to one tenant; `dryRun` makes a migration report without writing. */
export interface MaintenanceJobData {
  readonly tenantId?: string;
  readonly dryRun?: boolean;
  /** Who asked: `schedule` or `operator`. */
  readonly requestedBy?: string;
}

/** How a job is run: its result becomes the job's return value (the run's report). */
export type MaintenanceHandler = (job: Job<MaintenanceJobData>, report: (progress: object) => Promise<void>) => Promise<object>;

/** Queue connection settings, as for the step queue. */
export interface MaintenanceQueueOptions {
  readonly connection: ConnectionOptions;
  /** Default the step queue's `{flunq}` (one Cluster slot). */
  readonly prefix?: string;
}

/** Finished runs kept as history (per outcome). */
const HISTORY = 100;
const JOB_OPTIONS = { removeOnComplete: { count: HISTORY }, removeOnFail: { count: HISTORY }, attempts: 3, backoff: { type: 'exponential', delay: 30_000 } } as const;

/** The queue maintenance jobs run from. */
export function createMaintenanceQueue(options: MaintenanceQueueOptions): Queue<MaintenanceJobData> {
  return new Queue<MaintenanceJobData>(MAINTENANCE_QUEUE, { connection: options.connection, prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX });
}

/**
 * Makes each job's schedule what `everyMs` says (BullMQ job schedulers, one per job name: every
 * replica may call this at start, the schedule is stored once); 0 removes the schedule.
 */
export async function scheduleMaintenance(queue: Queue<MaintenanceJobData>, everyMs: Partial<Record<MaintenanceJobName, number>>): Promise<void> {
  for (const name of MAINTENANCE_JOBS) {
    const every = everyMs[name];
    if (every === undefined) continue;
    if (every > 0) await queue.upsertJobScheduler(name, { every }, { name, data: { requestedBy: 'schedule' }, opts: JOB_OPTIONS });
    else await queue.removeJobScheduler(name);
  }
}

/** Queues a run now (an operator's request); returns the job id. */
export async function runMaintenanceNow(queue: Queue<MaintenanceJobData>, name: MaintenanceJobName, data: MaintenanceJobData = {}): Promise<string> {
  const job = await queue.add(name, { requestedBy: 'operator', ...data }, JOB_OPTIONS);
  return job.id ?? '';
}

/** One run of a maintenance job, as the operator surface shows it. */
export interface MaintenanceRun {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly requestedBy?: string;
  readonly tenantId?: string;
  readonly dryRun?: boolean;
  /** Progress so far (a running job) or the final report (a finished one). */
  readonly report?: unknown;
  readonly error?: string;
  readonly queuedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly attempts: number;
}

const iso = (ms: number | undefined): string | undefined => (ms ? new Date(ms).toISOString() : undefined);

/** A job as a {@link MaintenanceRun}. */
export async function describeRun(job: Job<MaintenanceJobData>): Promise<MaintenanceRun> {
  const state = await job.getState();
  const report: unknown = state === 'completed' ? job.returnvalue : job.progress;
  return {
    id: job.id ?? '',
    name: job.name,
    state,
    ...(job.data.requestedBy ? { requestedBy: job.data.requestedBy } : {}),
    ...(job.data.tenantId ? { tenantId: job.data.tenantId } : {}),
    ...(job.data.dryRun ? { dryRun: true } : {}),
    ...(report !== undefined && report !== 0 ? { report } : {}),
    ...(job.failedReason ? { error: job.failedReason } : {}),
    queuedAt: iso(job.timestamp)!,
    ...(job.processedOn ? { startedAt: iso(job.processedOn) } : {}),
    ...(job.finishedOn ? { finishedAt: iso(job.finishedOn) } : {}),
    attempts: job.attemptsMade,
  };
}

/** The schedules and the latest runs (newest first), for `flunq jobs status`. */
export async function maintenanceStatus(queue: Queue<MaintenanceJobData>, limit = 20): Promise<{ schedules: { name: string; everyMs?: number; next?: string }[]; runs: MaintenanceRun[] }> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  const jobs = await queue.getJobs(['active', 'waiting', 'delayed', 'completed', 'failed'], 0, limit * 2, false);
  const runs = await Promise.all(jobs.filter((j): j is Job<MaintenanceJobData> => Boolean(j)).map(describeRun));
  return {
    schedules: schedulers.map((s) => ({ name: s.name, ...(s.every ? { everyMs: Number(s.every) } : {}), ...(s.next ? { next: iso(s.next) } : {}) })),
    runs: runs.sort((a, b) => b.queuedAt.localeCompare(a.queuedAt)).slice(0, limit),
  };
}

/** The state of one run, or undefined when the queue no longer has it. */
export async function maintenanceRun(queue: Queue<MaintenanceJobData>, id: string): Promise<MaintenanceRun | undefined> {
  const job = await queue.getJob(id);
  return job ? describeRun(job) : undefined;
}

/**
 * A BullMQ worker running maintenance jobs one at a time per process (any number of replicas:
 * BullMQ gives each job to one of them; every job is idempotent). A job's progress is its
 * report so far; its return value the final report.
 */
export function createMaintenanceWorker(options: MaintenanceQueueOptions, handlers: Record<MaintenanceJobName, MaintenanceHandler>): Worker<MaintenanceJobData> {
  return new Worker<MaintenanceJobData>(
    MAINTENANCE_QUEUE,
    async (job) => {
      const handler = handlers[job.name as MaintenanceJobName];
      if (!handler) throw new Error(`unknown maintenance job ${job.name}`);
      return handler(job, (progress) => job.updateProgress(progress));
    },
    { connection: options.connection, prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX, concurrency: 1, lockDuration: 120_000, stalledInterval: 60_000 },
  );
}
