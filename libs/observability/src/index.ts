/**
 * `@flunq/observability`: what every server app of flunq-io uses to be observed — JSON logs
 * (pino) with execution/task ids, Prometheus metrics in a per-service registry, the
 * `/metrics`, `/healthz`, `/readyz` endpoints, and the graceful stop on SIGTERM/SIGINT.
 */
export { createLogger, LOG_LEVELS, LogLevelError, withTaskContext } from './logging/create-logger.js';
export type { LoggerOptions, LogLevel, TaskLogContext } from './logging/create-logger.js';
export { createServiceMetrics, METRIC_PREFIX, PAYLOAD_BYTE_BUCKETS } from './metrics/service-metrics.js';
export type { ServiceMetrics, TaskOutcome } from './metrics/service-metrics.js';
export { parseUsedMemory, watchRedisMemory } from './metrics/redis-memory.js';
export { startOpsServer } from './ops-server/ops-server.js';
export type { OpsServer, OpsServerOptions } from './ops-server/ops-server.js';
export { stopOnSignals } from './service/stop-on-signals.js';
export type { Stoppable, StopOnSignalsOptions } from './service/stop-on-signals.js';
export type { Logger } from 'pino';
