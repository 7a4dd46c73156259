/**
 * The worker service: advances executions (BullMQ step queue), records every step in
 * Redis, calls executors over Connect RPC. Settings: see src/config.ts and docs/worker.md.
 */
import { loadConfigOrExit } from '@flunq/config';
import { createLogger, stopOnSignals } from '@flunq/observability';
import { loadConfig } from './config.js';
import { startWorker } from './worker-service.js';

/** Name of this service in logs and metrics. */
export const SERVICE_NAME = 'worker';

const config = loadConfigOrExit(loadConfig);
const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
const worker = await startWorker(config, logger);
logger.info({ opsUrl: worker.opsUrl, concurrency: config.concurrency, executors: config.executors.urls(), pid: process.pid }, 'worker started');

stopOnSignals(SERVICE_NAME, worker, logger);
