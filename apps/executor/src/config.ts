import { LOG_LEVELS } from '@flunq/observability';
import { DEFAULT_SIZE_LIMITS, parseByteSize } from '@flunq/serializer';

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

/** Settings the executor cannot start with; `problems` names every bad key. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';

  constructor(readonly problems: readonly string[]) {
    super(`invalid executor configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function port(env: Env, key: string, fallback: number, problems: string[]): number {
  const text = env[key]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (/^\d+$/.test(text) && value <= 65_535) return value;
  problems.push(`${key}="${text}" is not a port (0-65535)`);
  return fallback;
}

/** Reads and checks the settings from `env` (default `process.env`); throws {@link ConfigError} listing every bad key. */
export function loadConfig(env: Env = process.env): ExecutorConfig {
  const problems: string[] = [];
  const limitKey = env['FLUNQ_TASK_OUTPUT_LIMIT']?.trim() ? 'FLUNQ_TASK_OUTPUT_LIMIT' : 'MAX_TASK_OUTPUT_SIZE';
  const limitText = env[limitKey]?.trim();
  let outputLimitBytes = DEFAULT_SIZE_LIMITS.maxTaskOutputSize;
  if (limitText) {
    const parsed = parseByteSize(limitText);
    if (parsed === undefined || parsed <= 0) problems.push(`${limitKey}="${limitText}" is not a positive size such as 10MiB`);
    else outputLimitBytes = parsed;
  }
  const logLevel = (env['LOG_LEVEL']?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL="${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  const config = {
    host: env['FLUNQ_EXECUTOR_HOST']?.trim() || '127.0.0.1',
    port: port(env, 'FLUNQ_EXECUTOR_PORT', 50_051, problems),
    metricsPort: port(env, 'FLUNQ_EXECUTOR_METRICS_PORT', 9465, problems),
    outputLimitBytes,
    logLevel,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
