/**
 * The executor service: serves `ExecutorService` (Connect/gRPC over h2c) with the built-in
 * `call.http` handler and the `echo`, `fail` and `sleep` functions, plus `/metrics`,
 * `/healthz` and `/readyz`. Settings: see src/config.ts and docs/executors.md.
 */
import { loadConfigOrExit } from '@flunq/config';
import { createLogger, stopOnSignals } from '@flunq/observability';
import { loadConfig } from './config.js';
import { startExecutor } from './service.js';

/** Name of this service in logs and metrics. */
export const SERVICE_NAME = 'executor';

const config = loadConfigOrExit(loadConfig);
const logger = createLogger(SERVICE_NAME, { level: config.logLevel });
const executor = await startExecutor(config, logger);
logger.info({ rpcUrl: executor.rpcUrl, opsUrl: executor.opsUrl, outputLimitBytes: config.outputLimitBytes }, 'executor listening');

stopOnSignals(SERVICE_NAME, executor, logger);
