import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  BullStepScheduler,
  createStepQueue,
  createStepWorker,
  DefinitionCache,
  EngineClient,
  ExecutionAdvancer,
  STEP_JOB_OPTIONS,
  stepJobId,
  type StepJobData,
  type TaskRunner,
  type TaskRunOutcome,
  type TaskRunRequest,
} from '@flunq/engine';
import { createExecutorClient, type ExecutorClient } from '@flunq/executor-kit';
import {
  MemoryDefinitionStore,
  MemoryIoStore,
  RedisContentIndex,
  RedisDefinitionStore,
  RedisExecutionIndex,
  RedisIoStore,
  RedisSnapshotStore,
  RedisStatsStore,
  type ContentIndex,
  type DefinitionStore,
  type ExecutionIndex,
  type IoStore,
  type SnapshotStore,
  type StatsStore,
} from '@flunq/redis-store';

/** The derived data the worker keeps beside every step: time-travel snapshots, the listing, statistics, content search. */
interface Derived {
  readonly snapshots: SnapshotStore;
  readonly index: ExecutionIndex;
  readonly stats: StatsStore;
  readonly search: ContentIndex;
}
import { Redis } from 'ioredis';
import { benchRedis, ratio, redisCpuMicros } from './bench-redis.js';

/** The seed's example input: every task echoes it, so it flows through all three. */
const SEED_INPUT = { message: 'Hello from Multi-Tenant Postman!', user_id: 'test-user-456', test_data: { nested: { value: 123, array: [1, 2, 3] } } };
const TENANT = 'bench';
const WORKFLOW = 'three-calls';
const TASKS_PER_EXECUTION = 3;
const DEFINITION = `document: { dsl: '1.0.0', namespace: bench, name: ${WORKFLOW}, version: '1.0.0' }
do:
  - first:
      call: echo
  - second:
      call: echo
  - third:
      call: echo
`;

const appsDir = new URL('../../../apps/', import.meta.url).pathname;

/** The executor app as a real process, with the CPU it has used so far. */
interface ExecutorProcess {
  readonly rpcUrl: string;
  cpuMicros(): number;
  stop(): Promise<void>;
}

/** Starts `apps/executor` (from source) and waits for its `executor listening` line. */
async function startExecutor(): Promise<ExecutorProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', '--conditions=@flunq/source', 'src/main.ts'], {
    cwd: `${appsDir}executor`,
    env: { ...process.env, FLUNQ_EXECUTOR_PORT: '0', FLUNQ_EXECUTOR_METRICS_PORT: '0', LOG_LEVEL: 'info' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; rpcUrl?: string };
        if (entry.msg === 'executor listening' && entry.rpcUrl) resolve(entry.rpcUrl);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`executor exited with ${code} before it was ready: ${stderr}`)));
  });
  const ticksPerSecond = 100; // USER_HZ on Linux
  return {
    rpcUrl,
    cpuMicros() {
      try {
        // /proc/<pid>/stat: utime and stime are fields 14 and 15, after the parenthesised name.
        const fields = (readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
        return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
      } catch {
        return Number.NaN; // not Linux
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Latencies summed over a run, to see where the time goes. */
class Profile {
  rpcMs = 0;
  rpcs = 0;
  stepMs = 0;
  encodeMs = 0;
  steps = 0;
  jobMs = 0;
  jobs = 0;
  startMs = 0;

  reset(): void {
    this.rpcMs = this.rpcs = this.stepMs = this.encodeMs = this.steps = this.jobMs = this.jobs = this.startMs = 0;
  }
}

/** Resolves once `count` executions are done; rejects on the first failure. */
class Completion {
  readonly promise: Promise<void>;
  private remaining: number;
  private resolve!: () => void;
  private reject!: (error: Error) => void;

  constructor(count: number) {
    this.remaining = count;
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  done(): void {
    if (--this.remaining === 0) this.resolve();
  }

  fail(error: Error): void {
    this.reject(error);
  }
}

/** A TaskRunner over the executor's Connect client (what the worker's ExecutorTaskRunner does for `call: <function>`), timing each call. */
class EchoRunner implements TaskRunner {
  constructor(
    private readonly client: ExecutorClient,
    private readonly profile: Profile,
  ) {}

  async run(request: TaskRunRequest, signal: AbortSignal): Promise<TaskRunOutcome> {
    const { identity } = request;
    const started = performance.now();
    const outcome = await this.client.execute(
      {
        tenantId: identity.tenantId,
        workflowId: identity.workflowId,
        executionId: identity.executionId,
        taskId: request.pointer,
        taskName: request.taskName,
        taskType: 'call.function',
        functionName: String(request.task['call']),
        task: request.task as Record<string, unknown>,
        input: request.input,
        attempt: request.attempt,
        deadlineMs: request.deadlineMs,
        correlationId: identity.correlationId,
      },
      { signal },
    );
    this.profile.rpcMs += performance.now() - started;
    this.profile.rpcs++;
    if (outcome.ok) return { ok: true, output: outcome.output, startedAtMs: outcome.startedAtMs, completedAtMs: outcome.completedAtMs };
    return { ok: false, error: outcome.error, retryable: outcome.retryable };
  }
}

/** One way of running the 3-task workflow: starts the given executions and resolves when all have completed. */
interface Path {
  run(executionIds: string[]): Promise<void>;
  close(): Promise<void>;
}

interface Shared {
  readonly url: string;
  readonly executor: ExecutorClient;
  readonly concurrency: number;
  readonly profile: Profile;
}

/** A fresh BullMQ prefix (its own hash tag) so paths never see each other's jobs. */
const freshPrefix = (name: string): string => `{bench-${name}-${randomUUID().slice(0, 8)}}`;

/** flunq-io: EngineClient starts, an in-process BullMQ worker advances with the ExecutionAdvancer, every step recorded in `store`. */
async function flunqPath(shared: Shared, name: string, store: IoStore, definitions: DefinitionStore, derived: Partial<Derived> = {}): Promise<Path> {
  const { profile } = shared;
  const prefix = freshPrefix(name);
  const queueConnection = new Redis(shared.url, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(shared.url, { maxRetriesPerRequest: null });
  const queue = createStepQueue({ connection: queueConnection, prefix });
  const scheduler = new BullStepScheduler(queue);
  const client = new EngineClient({ store, definitions, scheduler, ...derived });
  await client.registerDefinition(TENANT, DEFINITION);
  let waiting: Completion | undefined;
  const advancer = new ExecutionAdvancer({
    store,
    definitions: new DefinitionCache(definitions),
    runner: new EchoRunner(shared.executor, profile),
    scheduler,
    ...derived,
    // as the worker runs it: task ends reach the search index within FLUNQ_SEARCH_DELAY (default 250 ms), off the step
    ...(derived?.search ? { searchDelayMs: Number(process.env['FLUNQ_SEARCH_DELAY_MS'] ?? 250) } : {}),
    onStep: (step) => {
      profile.steps++;
      profile.stepMs += step.durationMs;
      profile.encodeMs += step.encodeMs;
      if (step.event.type === 'execution.completed') waiting?.done();
      else if (step.event.type === 'execution.failed' || step.event.type === 'execution.cancelled') waiting?.fail(new Error(`${name}: ${JSON.stringify(step.event)}`));
    },
  });
  const worker = createStepWorker({ connection: workerConnection, prefix, concurrency: shared.concurrency }, async (job) => {
    const started = performance.now();
    const result = await advancer.advance(job.data.executionId);
    profile.jobMs += performance.now() - started;
    profile.jobs++;
    return result;
  });
  worker.on('failed', (_job, error) => waiting?.fail(error));
  await worker.waitUntilReady();
  return {
    async run(executionIds) {
      const completion = (waiting = new Completion(executionIds.length));
      const start = async (executionId: string): Promise<void> => {
        const started = performance.now();
        await client.startExecution({ tenantId: TENANT, workflowId: WORKFLOW, input: SEED_INPUT, executionId });
        profile.startMs += performance.now() - started;
      };
      await Promise.all([completion.promise, ...executionIds.map(start)]);
    },
    async close() {
      await worker.close();
      await queue.close();
      await Promise.all([store.close(), definitions.close(), ...Object.values(derived).map((d: { close(): Promise<void> }) => d.close())]);
      queueConnection.disconnect();
      workerConnection.disconnect();
    },
  };
}

/** A step job of the bare chain: which call (1..3) and the data it is called with. */
type ChainJob = StepJobData & { readonly input: unknown };

/**
 * The baseline: a bare BullMQ chain with the same queue, worker and job options. Job k
 * calls the executor's echo with the data in the job, then adds job k+1 carrying the
 * output; the execution is done when job 3's call returns. Nothing is recorded.
 * `callsPerJob` 3: one job makes the three calls in sequence (the job shape of flunq's
 * worker, which advances a whole execution in one job while it does not wait).
 */
async function bareChainPath(shared: Shared, callsPerJob: 1 | 3): Promise<Path> {
  const { profile } = shared;
  const prefix = freshPrefix(`bare${callsPerJob}`);
  const queueConnection = new Redis(shared.url, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(shared.url, { maxRetriesPerRequest: null });
  const queue = createStepQueue({ connection: queueConnection, prefix });
  const add = (executionId: string, call: number, input: unknown) =>
    queue.add('advance', { executionId, key: String(call), input } as ChainJob, { ...STEP_JOB_OPTIONS, jobId: stepJobId(executionId, String(call)) });
  let waiting: Completion | undefined;
  const worker = createStepWorker({ connection: workerConnection, prefix, concurrency: shared.concurrency }, async (job) => {
    const started = performance.now();
    const { executionId, key } = job.data as ChainJob;
    let { input } = job.data as ChainJob;
    let call = Number(key);
    for (const last = call + callsPerJob - 1; ; call++) {
      const rpcStarted = performance.now();
      const outcome = await shared.executor.execute({
        tenantId: TENANT,
        workflowId: WORKFLOW,
        executionId,
        taskId: `/do/${call - 1}/call${call}`,
        taskName: `call${call}`,
        taskType: 'call.function',
        functionName: 'echo',
        task: { call: 'echo' },
        input,
        attempt: 1,
        deadlineMs: Date.now() + 300_000,
      });
      profile.rpcMs += performance.now() - rpcStarted;
      profile.rpcs++;
      if (!outcome.ok) throw new Error(`echo failed: ${JSON.stringify(outcome.error)}`);
      input = outcome.output;
      if (call === last) break;
    }
    if (call < TASKS_PER_EXECUTION) await add(executionId, call + 1, input);
    else waiting?.done();
    profile.jobMs += performance.now() - started;
    profile.jobs++;
  });
  worker.on('failed', (_job, error) => waiting?.fail(error));
  await worker.waitUntilReady();
  return {
    async run(executionIds) {
      const completion = (waiting = new Completion(executionIds.length));
      const start = async (executionId: string): Promise<void> => {
        const started = performance.now();
        await add(executionId, 1, SEED_INPUT);
        profile.startMs += performance.now() - started;
      };
      await Promise.all([completion.promise, ...executionIds.map(start)]);
    },
    async close() {
      await worker.close();
      await queue.close();
      queueConnection.disconnect();
      workerConnection.disconnect();
    },
  };
}

interface Result {
  readonly executions: number;
  readonly seconds: number;
  readonly tasksPerSecond: number;
  readonly nodeMicrosPerTask: number;
  readonly redisMicrosPerTask: number;
  readonly executorMicrosPerTask: number;
  /** Mean latencies (ms) and counts per execution. */
  readonly perExecution: { jobs: number; jobMs: number; rpcMs: number; steps: number; stepMs: number; encodeMs: number; startMs: number };
}

/** Runs `executions` executions on `path` (all started at once), from the first start to the last completion. */
async function measure(path: Path, name: string, executions: number, redis: Redis, executor: ExecutorProcess, profile: Profile): Promise<Result> {
  const ids = Array.from({ length: executions }, (_, i) => `${name}-${randomUUID().slice(0, 8)}-${i}`);
  profile.reset();
  const redisBefore = await redisCpuMicros(redis);
  const executorBefore = executor.cpuMicros();
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  await path.run(ids);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const executorCpu = executor.cpuMicros() - executorBefore;
  const redisCpu = (await redisCpuMicros(redis)) - redisBefore;
  const tasks = executions * TASKS_PER_EXECUTION;
  const mean = (total: number, count: number): number => (count ? total / count : 0);
  return {
    executions,
    seconds,
    tasksPerSecond: tasks / seconds,
    nodeMicrosPerTask: (cpu.user + cpu.system) / tasks,
    redisMicrosPerTask: redisCpu / tasks,
    executorMicrosPerTask: executorCpu / tasks,
    perExecution: {
      jobs: profile.jobs / executions,
      jobMs: mean(profile.jobMs, profile.jobs),
      rpcMs: mean(profile.rpcMs, profile.rpcs),
      steps: profile.steps / executions,
      stepMs: mean(profile.stepMs, profile.steps),
      encodeMs: mean(profile.encodeMs, profile.steps),
      startMs: mean(profile.startMs, executions),
    },
  };
}

/**
 * End-to-end tasks/s (issue #4): a 3-task workflow (`call: echo` x3) through the worker
 * (in-process ExecutionAdvancer + BullMQ worker), a real executor process and Redis, with
 * the Redis store and with the memory store, beside a bare BullMQ 3-job chain that calls
 * the same executor and records nothing. Same run, executor, concurrency and executions.
 */
export async function runEngineThroughput(
  executions = Number(process.env['BENCH_E2E_EXECUTIONS'] ?? 1000),
  concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 64),
  warmup = Number(process.env['BENCH_E2E_WARMUP'] ?? 50),
  rounds = Number(process.env['BENCH_E2E_ROUNDS'] ?? 3),
): Promise<string[]> {
  const env = await benchRedis();
  const executor = await startExecutor();
  const client = createExecutorClient(executor.rpcUrl);
  const profile = new Profile();
  const shared: Shared = { url: env.url, executor: client, concurrency, profile };
  type Name = 'bare' | 'bareOneJob' | 'redis' | 'redisDerived' | 'memory';
  const paths = {} as Record<Name, Path>;
  try {
    const keyPrefix = `bench-${randomUUID().slice(0, 8)}:`;
    paths.bare = await bareChainPath(shared, 1);
    paths.bareOneJob = await bareChainPath(shared, 3);
    paths.redis = await flunqPath(shared, 'redis', new RedisIoStore({ redis: env.url, keyPrefix }), new RedisDefinitionStore({ redis: env.url, keyPrefix }));
    const derivedPrefix = `bench-${randomUUID().slice(0, 8)}:`;
    const derived: Derived = {
      snapshots: new RedisSnapshotStore({ redis: env.url, keyPrefix: derivedPrefix }),
      index: new RedisExecutionIndex({ redis: env.url, keyPrefix: derivedPrefix }),
      stats: new RedisStatsStore({ redis: env.url, keyPrefix: derivedPrefix }),
      search: new RedisContentIndex({ redis: env.url, keyPrefix: derivedPrefix }),
    };
    // BENCH_DERIVED=stats,search keeps only those (to see what each costs); default: all four.
    const kept = process.env['BENCH_DERIVED']?.split(',');
    const chosen = kept ? Object.fromEntries(Object.entries(derived).filter(([kind]) => kept.includes(kind))) : derived;
    paths.redisDerived = await flunqPath(shared, 'redisDerived', new RedisIoStore({ redis: env.url, keyPrefix: derivedPrefix }), new RedisDefinitionStore({ redis: env.url, keyPrefix: derivedPrefix }), chosen);
    paths.memory = await flunqPath(shared, 'memory', new MemoryIoStore(), new MemoryDefinitionStore());
    // BENCH_E2E_PATHS=redis,bare measures only those (e.g. to profile one path); the ratios are then against the first one.
    const only = process.env['BENCH_E2E_PATHS']?.split(',');
    if (only) for (const name of Object.keys(paths) as Name[]) if (!only.includes(name)) await paths[name].close().then(() => delete paths[name]);
    // Warm every path (JIT, connections, scripts loaded), then measure them in alternation `rounds` times, keeping each one's best run.
    for (const [name, path] of Object.entries(paths)) await measure(path, `warm-${name}`, warmup, env.redis, executor, profile);
    const results = {} as Record<Name, Result>;
    for (let round = 0; round < rounds; round++) {
      for (const [name, path] of Object.entries(paths) as [Name, Path][]) {
        const result = await measure(path, name, executions, env.redis, executor, profile);
        if (!results[name] || result.tasksPerSecond > results[name].tasksPerSecond) results[name] = result;
      }
    }

    const base = results.bare ?? Object.values(results)[0];
    if (!base) throw new Error(`BENCH_E2E_PATHS chose no path; known: bare, bareOneJob, redis, redisDerived, memory`);
    const rate = (r: Result): string => Math.round(r.tasksPerSecond).toLocaleString('en-US');
    const row = (label: string, r: Result): string =>
      `| ${label} | ${rate(r)} (**${ratio(r.tasksPerSecond, base.tasksPerSecond)}**) | ${r.seconds.toFixed(2)} | ${r.nodeMicrosPerTask.toFixed(0)} (${ratio(r.nodeMicrosPerTask, base.nodeMicrosPerTask)}) | ${r.redisMicrosPerTask.toFixed(1)} (${ratio(r.redisMicrosPerTask, base.redisMicrosPerTask)}) | ${r.executorMicrosPerTask.toFixed(0)} |`;
    const overhead = (r: Result, floor: Result): string => `${((floor.tasksPerSecond / r.tasksPerSecond - 1) * 100).toFixed(0)}%`;
    const labels: Record<Name, string> = {
      bare: 'bare BullMQ 3-job chain: job k calls echo, adds job k+1 with the output (no capture; **baseline**)',
      bareOneJob: 'bare BullMQ, one job per execution making the 3 calls in sequence (no capture; the job shape of flunq\'s worker)',
      redis: 'flunq-io: worker + executor + RedisIoStore (every step captured)',
      redisDerived: 'flunq-io as the worker runs it: + snapshots, the listing, statistics and content search',
      memory: 'flunq-io: same with MemoryIoStore (queue still BullMQ on Redis)',
    };
    const lines = [
      `| path (${executions} executions x ${TASKS_PER_EXECUTION} \`call: echo\`, all started at once, worker concurrency ${concurrency}, one executor process; best of ${rounds}) | tasks/s (vs baseline; goal >= 1,000) | wall s | worker Node CPU µs/task | Redis CPU µs/task | executor CPU µs/task |`,
      '|---|---|---|---|---|---|',
      ...(Object.keys(results) as Name[]).map((name) => row(labels[name], results[name])),
      '',
      results.bare && results.bareOneJob && results.redis && results.memory
        ? `Capture overhead (baseline rate / flunq rate - 1; goal <= 10%): **${overhead(results.redis, base)}** with the Redis store (${overhead(results.memory, base)} with the memory store). ` +
          `Against the one-job bare chain: ${overhead(results.redis, results.bareOneJob)} with the Redis store, ${overhead(results.memory, results.bareOneJob)} with the memory store.`
        : 'Capture overhead: measure all four paths.',
      '',
      '| where time goes (means, under load) | BullMQ jobs / execution | ms / job | executor RPC ms / call | steps recorded / execution (after start) | ms / step (build + write) | of which build ms | start ms / execution |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const name of Object.keys(results) as Name[]) {
      const p = results[name].perExecution;
      lines.push(
        `| ${name} | ${p.jobs.toFixed(2)} | ${p.jobMs.toFixed(2)} | ${p.rpcMs.toFixed(2)} | ${p.steps.toFixed(2)} | ${p.steps ? p.stepMs.toFixed(3) : '-'} | ${p.steps ? p.encodeMs.toFixed(3) : '-'} | ${p.startMs.toFixed(1)} |`,
      );
    }
    return lines;
  } finally {
    for (const path of Object.values(paths)) await path.close();
    client.close();
    await executor.stop();
    await env.close();
  }
}
