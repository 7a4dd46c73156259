import { archiveSettingsFromEnv, type ArchiveSettings } from '@flunq/archive';
import { EnvReader, type Env, type StoreSettings } from '@flunq/config';
import { LOG_LEVELS } from '@flunq/observability';
import { ApiKeys } from './api-keys.js';

export { ConfigError } from '@flunq/config';

/** io-api's settings, read once at start by {@link loadConfig} (see docs/io-api.md); the store's are {@link StoreSettings}. */
export interface ApiConfig extends StoreSettings {
  /** `FLUNQ_API_HOST` / `FLUNQ_API_PORT` (default 127.0.0.1:8080): the REST API. */
  readonly host: string;
  readonly port: number;
  /** `FLUNQ_API_METRICS_PORT` (default 9466, same host): `/metrics`, `/healthz`, `/readyz`. */
  readonly metricsPort: number;
  /** `FLUNQ_API_KEYS`: `key1=tenant-a,key2=tenant-b`; required. */
  readonly apiKeys: ApiKeys;
  /** `FLUNQ_SSE_HEARTBEAT` (default 15s): comment line sent on idle event streams. */
  readonly sseHeartbeatMs: number;
  /** `LOG_LEVEL`, default `info`. */
  readonly logLevel: string;
  /** `FLUNQ_ARCHIVE_*`: where archived executions are read from (default the folder `.flunq/archive`). */
  readonly archive: ArchiveSettings;
}

/** Reads and checks the settings from `env` (default `process.env`); throws `ConfigError` listing every bad key. */
export function loadConfig(env: Env = process.env): ApiConfig {
  const read = new EnvReader('io-api', env);
  const keysText = read.string('FLUNQ_API_KEYS', '');
  const parsed = ApiKeys.parse(keysText);
  for (const problem of parsed.problems) read.problem(`FLUNQ_API_KEYS: ${problem}`);
  if (!keysText) read.problem('FLUNQ_API_KEYS is required (key1=tenant-a,key2=tenant-b)');
  const heartbeat = read.durationMs('FLUNQ_SSE_HEARTBEAT', 15_000);
  if (heartbeat < 100) read.problem(`FLUNQ_SSE_HEARTBEAT=${heartbeat}ms is below 100ms`);
  const settings = {
    host: read.string('FLUNQ_API_HOST', '127.0.0.1'),
    port: read.port('FLUNQ_API_PORT', 8080),
    metricsPort: read.port('FLUNQ_API_METRICS_PORT', 9466),
    apiKeys: parsed.keys,
    ...read.storeSettings(),
    sseHeartbeatMs: heartbeat,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    archive: read.parsedBy(archiveSettingsFromEnv),
  };
  return read.done(settings);
}
