/**
 * The worker service: advances executions (BullMQ step queue), records every step in
 * Redis, calls executors over Connect RPC. Settings: see src/config.ts and docs/worker.md.
 */
import { createLogger } from '@flunq/observability';
import { ConfigError, loadConfig, type WorkerConfig } from './config.js';
import { startWorker } from './worker-service.js';

/** Name of this service in logs and metrics. */
export const SERVICE_NAME = 'worker';

let config: WorkerConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
const worker = await startWorker(config, logger);
logger.info({ opsUrl: worker.opsUrl, concurrency: config.concurrency, executors: config.executors.urls(), pid: process.pid }, 'worker started');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker stopping');
  try {
    await worker.close();
    logger.info('worker stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'worker did not stop cleanly');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
