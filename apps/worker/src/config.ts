import { archiveSettingsFromEnv, type ArchiveSettings } from '@flunq/archive';
import { EnvReader, type Env, type StoreSettings } from '@flunq/config';
import { parseExecutorRoutes, type ExecutorDirectory } from '@flunq/executor-kit';
import { LOG_LEVELS } from '@flunq/observability';

export { ConfigError } from '@flunq/config';

/** The worker's settings, read once at start by {@link loadConfig} (see docs/worker.md); the store's are {@link StoreSettings}. */
export interface WorkerConfig extends StoreSettings {
  /** `FLUNQ_WORKER_CONCURRENCY`, default 16: steps processed at once. */
  readonly concurrency: number;
  /** `FLUNQ_WORKER_HOST` / `FLUNQ_WORKER_METRICS_PORT` (default 127.0.0.1:9464): `/metrics`, `/healthz`, `/readyz`. */
  readonly metricsHost: string;
  readonly metricsPort: number;
  /** `FLUNQ_STALLED_INTERVAL` (default 30s) and `FLUNQ_LOCK_DURATION` (default 30s): how fast a dead worker's steps move on. */
  readonly stalledIntervalMs: number;
  readonly lockDurationMs: number;
  /** `FLUNQ_TASK_TIMEOUT`, default 5m: longest wait for a call without its own `timeout`. */
  readonly taskTimeoutMs: number;
  /** `WORKFLOW_STATE_TTL` (7d) and `EVENT_RETENTION_DAYS` (30): retention of finished executions. */
  readonly stateTtlMs: number;
  readonly eventTtlMs: number;
  /** `LOG_LEVEL`, default `info`. */
  readonly logLevel: string;
  /** `FLUNQ_SEARCH_DELAY` (default 250ms; 0 = within the step): how soon a running execution's task results are searchable. */
  readonly searchDelayMs: number;
  /** `FLUNQ_EXECUTOR_URL` and `FLUNQ_EXECUTOR_ROUTES`: where each task runs. */
  readonly executors: ExecutorDirectory;
  /** Maintenance jobs (retention, reindex), see docs/retention.md. */
  readonly maintenance: MaintenanceConfig;
}

/** What the worker's maintenance role does. */
export interface MaintenanceConfig {
  /** `FLUNQ_MAINTENANCE` (on|off, default on): this process runs maintenance jobs (one at a time). */
  readonly enabled: boolean;
  /** `FLUNQ_RETENTION_EVERY` (default 1h; 0 = not scheduled, run on demand only): how often the retention sweep runs. */
  readonly retentionEveryMs: number;
  /** `FLUNQ_RETENTION_BATCH` (default 200): executions per archive object (one write, one fsync, one read back). */
  readonly retentionBatch: number;
  /** `FLUNQ_COMPRESSION_EVERY` (default 6h; 0 = on demand only): how often finished executions get cold compression. */
  readonly compressionEveryMs: number;
  /** `FLUNQ_COMPRESSION_AFTER` (default 1h): only executions that ended at least this long ago are recompressed. */
  readonly compressionAfterMs: number;
  /** `FLUNQ_REINDEX_EVERY` (default 0 = on demand only): how often every tenant's search index is rebuilt. */
  readonly reindexEveryMs: number;
  /**
   * `FLUNQ_RETENTION_GRACE` (default 1d): while the sweep is scheduled, Redis' own TTLs of finished
   * executions are the policy plus this grace, a backstop that lets the sweep archive first.
   */
  readonly graceMs: number;
  /** `FLUNQ_ARCHIVE_*`: where archives go (default the folder `.flunq/archive`). */
  readonly archive: ArchiveSettings;
}

/** Reads and checks the settings from `env` (default `process.env`); throws `ConfigError` listing every bad key. */
export function loadConfig(env: Env = process.env): WorkerConfig {
  const read = new EnvReader('worker', env);
  const executors = read.parsedBy(parseExecutorRoutes);
  const retentionDays = read.integer('EVENT_RETENTION_DAYS', 30, 0, 36_500);
  const settings = {
    ...read.storeSettings(),
    concurrency: read.integer('FLUNQ_WORKER_CONCURRENCY', 16, 1, 10_000),
    metricsHost: read.string('FLUNQ_WORKER_HOST', '127.0.0.1'),
    metricsPort: read.port('FLUNQ_WORKER_METRICS_PORT', 9464),
    stalledIntervalMs: read.durationMs('FLUNQ_STALLED_INTERVAL', 30_000),
    lockDurationMs: read.durationMs('FLUNQ_LOCK_DURATION', 30_000),
    taskTimeoutMs: read.durationMs('FLUNQ_TASK_TIMEOUT', 300_000),
    stateTtlMs: read.durationMs('WORKFLOW_STATE_TTL', 7 * 86_400_000),
    eventTtlMs: retentionDays * 86_400_000,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    searchDelayMs: read.durationMs('FLUNQ_SEARCH_DELAY', 250),
  };
  const maintenance = {
    enabled: read.oneOf('FLUNQ_MAINTENANCE', ['on', 'off'], 'on') === 'on',
    retentionEveryMs: read.durationMs('FLUNQ_RETENTION_EVERY', 3_600_000),
    retentionBatch: read.integer('FLUNQ_RETENTION_BATCH', 200, 1, 10_000),
    compressionEveryMs: read.durationMs('FLUNQ_COMPRESSION_EVERY', 6 * 3_600_000),
    compressionAfterMs: read.durationMs('FLUNQ_COMPRESSION_AFTER', 3_600_000),
    reindexEveryMs: read.durationMs('FLUNQ_REINDEX_EVERY', 0),
    graceMs: read.durationMs('FLUNQ_RETENTION_GRACE', 86_400_000),
  };
  return read.done({ ...settings, executors, maintenance: { ...maintenance, archive: read.parsedBy(archiveSettingsFromEnv) } });
}
