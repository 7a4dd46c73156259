import { BullStepScheduler, createStepQueue, createStepWorker, DefinitionCache, ExecutionAdvancer, subscribeToCancellations } from '@flunq/engine';
import { createServiceMetrics, startOpsServer, watchRedisMemory, type Logger } from '@flunq/observability';
import { RedisContentIndex, RedisDefinitionStore, RedisExecutionIndex, RedisIoStore, RedisSnapshotStore, RedisStatsStore, resolveRetention } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';
import type { WorkerConfig } from './config.js';
import { ExecutorTaskRunner } from './executor-runner.js';
import { backstopTtls, startMaintenance } from './maintenance-role.js';
import { observeSteps } from './step-observer.js';

/** The running worker: its ops URL and a graceful stop. */
export interface RunningWorker {
  readonly opsUrl: string;
  /** Stops taking steps, lets running ones finish (their work is kept), closes connections. */
  close(): Promise<void>;
}

/**
 * Starts the worker: a BullMQ consumer of the step queue that advances executions with
 * the DSL engine, records every step in Redis and calls executors over Connect RPC; a
 * subscriber that aborts the in-flight task of cancelled executions; the maintenance role
 * (retention sweep, reindex; `FLUNQ_MAINTENANCE`); `/metrics`, `/healthz`, `/readyz`.
 */
export async function startWorker(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const metrics = createServiceMetrics('worker');
  const limits = config.limits;
  // With the retention sweep scheduled, Redis' TTLs are a backstop: the policy plus a grace.
  const ttls = backstopTtls(config);
  const store = new RedisIoStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix, ...ttls, limits, claimCheckBytes: config.claimCheckBytes });
  const definitions = new RedisDefinitionStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const snapshots = new RedisSnapshotStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const index = new RedisExecutionIndex({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const search = new RedisContentIndex({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const stats = new RedisStatsStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix, queuePrefix: config.queuePrefix });
  // Snapshots serve "state at event N", so they live as long as the events.
  const { streamTtlMs } = resolveRetention(ttls);
  const queueConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = createStepQueue({ connection: queueConnection, prefix: config.queuePrefix });
  const runner = new ExecutorTaskRunner(config.executors, { limits, metrics });
  const serializer = createPayloadSerializer({ limits, redactor: config.redactor });
  const advancer = new ExecutionAdvancer({
    store,
    definitions: new DefinitionCache(definitions),
    runner,
    scheduler: new BullStepScheduler(queue),
    serializer,
    taskTimeoutMs: config.taskTimeoutMs,
    onStep: observeSteps(metrics, logger),
    snapshots,
    snapshotTtlMs: streamTtlMs,
    index,
    search,
    searchOptions: config.search,
    // A running execution's task results reach the search index within this delay, coalesced, off the step.
    searchDelayMs: config.searchDelayMs,
    onSearchError: (error, executionId) => {
      metrics.ioFailuresTotal.inc({ operation: 'search' });
      logger.warn({ err: error, executionId }, 'search index not updated');
    },
    // Statistics are derived data: a failure to record them is counted and logged, the step goes on.
    stats,
    onStatsError: (error, step) => {
      metrics.ioFailuresTotal.inc({ operation: 'stats' });
      logger.warn({ err: error, ...step }, 'execution statistics not recorded');
    },
  });
  const worker = createStepWorker(
    { connection: workerConnection, prefix: config.queuePrefix, concurrency: config.concurrency, stalledIntervalMs: config.stalledIntervalMs, lockDurationMs: config.lockDurationMs },
    async (job) => {
      const result = await advancer.advance(job.data.executionId);
      logger.debug({ executionId: job.data.executionId, reason: job.data.key, ...result }, 'step done');
      return result;
    },
  );
  worker.on('failed', (job, error) => {
    metrics.ioFailuresTotal.inc({ operation: 'step' });
    logger.warn({ executionId: job?.data.executionId, attempt: job?.attemptsMade, err: error }, 'step failed; BullMQ retries it');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'queue error'));
  const stopMaintenance = config.maintenance.enabled ? await startMaintenance(config, { store, executions: index, search, serializer }, metrics, logger) : async () => undefined;
  const stopCancellations = await subscribeToCancellations(subscriber, (executionId) => advancer.abort(executionId), config.keyPrefix);
  const stopMemoryWatch = watchRedisMemory(metrics, () => queueConnection.info('memory'), 15_000);
  const ops = await startOpsServer({ host: config.metricsHost, port: config.metricsPort, metrics, ready: () => worker.isRunning() });
  return {
    opsUrl: ops.url,
    close: async () => {
      stopMemoryWatch();
      await worker.close();
      await stopMaintenance();
      await stopCancellations();
      await queue.close();
      runner.close();
      await Promise.all([store.close(), definitions.close(), snapshots.close(), index.close(), search.close(), stats.close()]);
      for (const connection of [queueConnection, workerConnection, subscriber]) connection.disconnect();
      await ops.close();
    },
  };
}
