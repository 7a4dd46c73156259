/**
 * io-api: the REST view of flunq-io (definitions, executions, events, time travel, replay,
 * cancel, live events). Settings: see src/config.ts and docs/io-api.md.
 */
import { loadConfigOrExit } from '@flunq/config';
import { createLogger, stopOnSignals } from '@flunq/observability';
import { startApi } from './api-service.js';
import { loadConfig } from './config.js';

/** Name of this service in logs and metrics. */
export const SERVICE_NAME = 'io-api';

const config = loadConfigOrExit(loadConfig);
const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
const api = await startApi(config, logger);
logger.info({ url: api.url, opsUrl: api.opsUrl, tenants: config.apiKeys.size, pid: process.pid }, 'io-api listening');

stopOnSignals(SERVICE_NAME, api, logger);
