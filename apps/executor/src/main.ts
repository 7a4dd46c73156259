/**
 * The executor service: serves `ExecutorService` (Connect/gRPC over h2c) with the built-in
 * `call.http` handler and the `echo`, `fail` and `sleep` functions, plus `/metrics`,
 * `/healthz` and `/readyz`. Settings: see src/config.ts and docs/executors.md.
 */
import { createLogger } from '@flunq/observability';
import { ConfigError, loadConfig, type ExecutorConfig } from './config.js';
import { startExecutor } from './service.js';

/** Name of this service in logs and metrics. */
export const SERVICE_NAME = 'executor';

let config: ExecutorConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
const executor = await startExecutor(config, logger);
logger.info({ rpcUrl: executor.rpcUrl, opsUrl: executor.opsUrl, outputLimitBytes: config.outputLimitBytes }, 'executor listening');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'executor stopping');
  try {
    await executor.close();
    logger.info('executor stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'executor did not stop cleanly');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
