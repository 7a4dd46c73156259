import { LOG_LEVELS } from '@flunq/observability';
import { EnvReader, type Env } from '@flunq/config';
import { DEFAULT_SIZE_LIMITS } from '@flunq/serializer';

/** The executor's settings, read once at start by {@link loadConfig}. */
export interface ExecutorConfig {
  /** `FLUNQ_EXECUTOR_HOST`, default `127.0.0.1`: interface of both servers. */
  readonly host: string;
  /** `FLUNQ_EXECUTOR_PORT`, default 50051: the ExecutorService (h2c). 0 picks a free port. */
  readonly port: number;
  /** `FLUNQ_EXECUTOR_METRICS_PORT`, default 9465: `/metrics`, `/healthz`, `/readyz`. 0 picks a free port. */
  readonly metricsPort: number;
  /** `FLUNQ_TASK_OUTPUT_LIMIT` (else `MAX_TASK_OUTPUT_SIZE`), default 5 MiB: largest task output sent back. */
  readonly outputLimitBytes: number;
  /** `LOG_LEVEL`, default `info`. */
  readonly logLevel: string;
}

export { ConfigError } from '@flunq/config';

/** Reads and checks the settings from `env` (default `process.env`); throws `ConfigError` listing every bad key. */
export function loadConfig(env: Env = process.env): ExecutorConfig {
  const read = new EnvReader('executor', env);
  const limitKey = env['FLUNQ_TASK_OUTPUT_LIMIT']?.trim() ? 'FLUNQ_TASK_OUTPUT_LIMIT' : 'MAX_TASK_OUTPUT_SIZE';
  return read.done({
    host: read.string('FLUNQ_EXECUTOR_HOST', '127.0.0.1'),
    port: read.port('FLUNQ_EXECUTOR_PORT', 50_051),
    metricsPort: read.port('FLUNQ_EXECUTOR_METRICS_PORT', 9465),
    outputLimitBytes: read.byteSize(limitKey, DEFAULT_SIZE_LIMITS.maxTaskOutputSize),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  });
}
