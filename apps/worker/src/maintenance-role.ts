import { createArchiveBackend } from '@flunq/archive';
import { createArchiveAccess, createMaintenanceQueue, createMaintenanceWorker, migrateLegacy, rebuildSearchIndex, recompressFinished, scheduleMaintenance, sweepRetention, type SweepReport } from '@flunq/engine';
import type { Logger, ServiceMetrics } from '@flunq/observability';
import type { ContentIndex, ExecutionIndex, IoStore } from '@flunq/redis-store';
import type { PayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';
import type { WorkerConfig } from './config.js';

/** The stores the maintenance jobs work on (the worker's own). */
export interface MaintenanceStores {
  readonly store: IoStore;
  readonly executions: ExecutionIndex;
  readonly search: ContentIndex;
  readonly serializer: PayloadSerializer;
}

/** Redis' TTLs of finished executions while the sweep is scheduled: the policy plus the grace (0 stays "keep"). */
export function backstopTtls(config: WorkerConfig): { stateTtlMs: number; eventTtlMs: number } {
  const { enabled, retentionEveryMs, graceMs } = config.maintenance;
  if (!enabled || retentionEveryMs === 0) return { stateTtlMs: config.stateTtlMs, eventTtlMs: config.eventTtlMs };
  const extend = (ttl: number): number => (ttl === 0 ? 0 : ttl + graceMs);
  return { stateTtlMs: extend(config.stateTtlMs), eventTtlMs: extend(config.eventTtlMs) };
}

function countSweep(metrics: ServiceMetrics, report: SweepReport): void {
  const items = metrics.maintenanceItemsTotal;
  items.inc({ job: 'retention', outcome: 'archived' }, report.archived - report.reused);
  items.inc({ job: 'retention', outcome: 'reused' }, report.reused);
  items.inc({ job: 'retention', outcome: 'changed' }, report.changed);
  items.inc({ job: 'retention', outcome: 'gone' }, report.gone);
  items.inc({ job: 'retention', outcome: 'failed' }, report.failures.length);
  metrics.maintenanceBytesTotal.inc({ job: 'retention' }, report.bytesWritten);
}

/**
 * The worker's maintenance role: keeps the job schedules as configured and runs maintenance
 * jobs (retention sweep, cold compression, migration, reindex) one at a time. Returns a stop function.
 */
export async function startMaintenance(config: WorkerConfig, stores: MaintenanceStores, metrics: ServiceMetrics, logger: Logger): Promise<() => Promise<void>> {
  const { maintenance } = config;
  const queueConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = createMaintenanceQueue({ connection: queueConnection, prefix: config.queuePrefix });
  // the migration runs on demand only (`flunq jobs run migration [--dry-run]`)
  await scheduleMaintenance(queue, { retention: maintenance.retentionEveryMs, reindex: maintenance.reindexEveryMs, compression: maintenance.compressionEveryMs, migration: 0 });
  const backend = createArchiveBackend(maintenance.archive);
  const { archiver, raw, close: closeArchive } = createArchiveAccess({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, backend, primary: stores.store, executions: stores.executions, search: stores.search });
  const policy = { stateTtlMs: config.stateTtlMs, eventTtlMs: config.eventTtlMs };
  const worker = createMaintenanceWorker(
    { connection: workerConnection, prefix: config.queuePrefix },
    {
      retention: async (_job, progress) => {
        const report = await sweepRetention({ executions: stores.executions, archiver }, policy, { batchSize: maintenance.retentionBatch, onProgress: progress });
        countSweep(metrics, report);
        logger.info({ job: 'retention', ...report, failures: report.failures.slice(0, 10) }, 'retention sweep done');
        return report;
      },
      compression: async (_job, progress) => {
        const report = await recompressFinished({ raw, executions: stores.executions }, { olderThanMs: maintenance.compressionAfterMs, onProgress: progress });
        metrics.maintenanceItemsTotal.inc({ job: 'compression', outcome: 'recompressed' }, report.recompressed);
        metrics.maintenanceItemsTotal.inc({ job: 'compression', outcome: 'failed' }, report.failures.length);
        metrics.maintenanceBytesTotal.inc({ job: 'compression' }, report.bytesSaved);
        logger.info({ job: 'compression', ...report, failures: report.failures.slice(0, 10) }, 'cold compression done');
        return report;
      },
      migration: async (job, progress) => {
        const report = await migrateLegacy({ raw, redis: queueConnection, keyPrefix: config.keyPrefix }, { dryRun: job.data.dryRun === true, onProgress: progress });
        if (!report.dryRun) metrics.maintenanceItemsTotal.inc({ job: 'migration', outcome: 'migrated' }, report.migrated);
        metrics.maintenanceItemsTotal.inc({ job: 'migration', outcome: 'failed' }, report.failures.length);
        logger.info({ job: 'migration', ...report, failures: report.failures.slice(0, 10) }, 'migration done');
        return report;
      },
      reindex: async (job, progress) => {
        const started = Date.now();
        const tenants = job.data.tenantId ? [job.data.tenantId] : await stores.executions.tenants();
        const indexed: Record<string, number> = {};
        for (const tenantId of tenants) {
          indexed[tenantId] = await rebuildSearchIndex({ ...stores, searchOptions: config.search }, tenantId);
          await progress({ tenants: Object.keys(indexed).length, of: tenants.length, indexed });
        }
        const total = Object.values(indexed).reduce((a, b) => a + b, 0);
        metrics.maintenanceItemsTotal.inc({ job: 'reindex', outcome: 'indexed' }, total);
        logger.info({ job: 'reindex', tenants: tenants.length, indexed: total }, 'reindex done');
        return { tenants: tenants.length, indexed, total, durationMs: Date.now() - started };
      },
    },
  );
  worker.on('completed', (job) => metrics.maintenanceRunsTotal.inc({ job: job.name, outcome: 'completed' }));
  worker.on('failed', (job, error) => {
    metrics.maintenanceRunsTotal.inc({ job: job?.name ?? 'unknown', outcome: 'failed' });
    logger.error({ job: job?.name, err: error }, 'maintenance job failed');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'maintenance queue error'));
  return async () => {
    await worker.close();
    await queue.close();
    await Promise.all([closeArchive(), backend.close()]);
    for (const connection of [queueConnection, workerConnection]) connection.disconnect();
  };
}
