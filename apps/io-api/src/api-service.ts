import { createArchiveBackend } from '@flunq/archive';
import { BullStepScheduler, createArchiveAccess, createStepQueue, EngineClient, publishCancellation } from '@flunq/engine';
import { createServiceMetrics, startOpsServer, type Logger } from '@flunq/observability';
import { RedisDefinitionStore, RedisContentIndex, RedisExecutionIndex, RedisIoStore, RedisSnapshotStore, RedisStatsStore } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';
import { buildApp, type RouteEntry } from './app.js';
import type { ApiConfig } from './config.js';

/** The running API: its URLs and a graceful stop. */
export interface RunningApi {
  readonly url: string;
  readonly opsUrl: string;
  readonly routes: readonly RouteEntry[];
  /** Stops taking requests, ends open event streams, closes connections. */
  close(): Promise<void>;
}

/**
 * Starts io-api: the REST view on `FLUNQ_API_HOST:FLUNQ_API_PORT` over the deployment's
 * Redis (store, definitions, snapshots, step queue), and `/metrics`, `/healthz`, `/readyz`
 * on `FLUNQ_API_METRICS_PORT`.
 */
export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const metrics = createServiceMetrics('io-api');
  const { limits } = config;
  const serializer = createPayloadSerializer({ limits, redactor: config.redactor });
  const store = new RedisIoStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix, limits, claimCheckBytes: config.claimCheckBytes });
  const definitions = new RedisDefinitionStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const snapshots = new RedisSnapshotStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const executions = new RedisExecutionIndex({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const search = new RedisContentIndex({ redis: config.redisUrl, keyPrefix: config.keyPrefix });
  const stats = new RedisStatsStore({ redis: config.redisUrl, keyPrefix: config.keyPrefix, queuePrefix: config.queuePrefix });
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = createStepQueue({ connection, prefix: config.queuePrefix });
  // Archived executions open like the others: their keys are brought back for a while to be read.
  const backend = createArchiveBackend(config.archive);
  const archived = createArchiveAccess({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, limits, backend, primary: store, executions, search });
  const client = new EngineClient({
    store: archived.store,
    definitions,
    serializer,
    snapshots,
    index: executions,
    search,
    searchOptions: config.search,
    stats,
    onStatsError: (error, step) => logger.warn({ err: error, ...step }, 'execution statistics not recorded'),
    scheduler: new BullStepScheduler(queue),
    onCancelled: async (executionId) => void (await publishCancellation(connection, executionId, config.keyPrefix)),
  });
  const { app, routes } = await buildApp({
    apiKeys: config.apiKeys,
    store: archived.store,
    definitions,
    client,
    serializer,
    limits,
    logger,
    metrics,
    sseHeartbeatMs: config.sseHeartbeatMs,
    executions,
    search,
    searchOptions: config.search,
    stats,
    redisMemory: (tenantId) => stats.memoryByKind({ tenantId }),
  });
  const url = await app.listen({ host: config.host, port: config.port });
  const ops = await startOpsServer({ host: config.host, port: config.metricsPort, metrics, ready: async () => (await connection.ping()) === 'PONG' });
  return {
    url,
    opsUrl: ops.url,
    routes,
    close: async () => {
      await app.close();
      await queue.close();
      await Promise.all([store.close(), definitions.close(), snapshots.close(), executions.close(), stats.close(), search.close(), archived.close(), backend.close()]);
      connection.disconnect();
      await ops.close();
    },
  };
}
