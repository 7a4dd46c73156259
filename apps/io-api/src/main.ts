/**
 * io-api: the REST view of flunq-io (definitions, executions, events, time travel, replay,
 * cancel, live events). Settings: see src/config.ts and docs/io-api.md.
 */
import { createLogger } from '@flunq/observability';
import { startApi } from './api-service.js';
import { ConfigError, loadConfig, type ApiConfig } from './config.js';

/** Name of this service in logs and metrics. */
export const SERVICE_NAME = 'io-api';

let config: ApiConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
const api = await startApi(config, logger);
logger.info({ url: api.url, opsUrl: api.opsUrl, tenants: config.apiKeys.size, ...api.capabilities, pid: process.pid }, 'io-api listening');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'io-api stopping');
  try {
    await api.close();
    logger.info('io-api stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'io-api did not stop cleanly');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
