import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prefix of every metric flunq-io exports. */
export const METRIC_PREFIX = 'flunq_';

const MiB = 1024 * 1024;
/** Byte buckets from 256 B to 16 MiB (x4 each), covering the 10 MiB payload limit. */
export const PAYLOAD_BYTE_BUCKETS: readonly number[] = [256, 1024, 4096, 16_384, 65_536, 262_144, MiB, 4 * MiB, 16 * MiB];
const TASK_SECOND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const SERIALIZATION_SECOND_BUCKETS = [0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5];

/** How a task run ended, as the `outcome` label says it. */
export type TaskOutcome = 'success' | 'error' | 'retryable_error';

/**
 * The metrics of one service, in a registry of its own (so tests and several services in
 * one process never share counters). Every series carries the label `service`.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** `flunq_tasks_total{task_type,outcome}`: task runs. */
  readonly tasksTotal: Counter<'task_type' | 'outcome'>;
  /** `flunq_task_duration_seconds{task_type,outcome}`: wall time of task runs. */
  readonly taskDuration: Histogram<'task_type' | 'outcome'>;
  /** `flunq_payload_bytes{direction}`: JSON size of task inputs (`input`) and outputs (`output`). */
  readonly payloadBytes: Histogram<'direction'>;
  /** `flunq_serialization_seconds{operation}`: time spent encoding/decoding payloads. */
  readonly serializationSeconds: Histogram<'operation'>;
  /** `flunq_io_failures_total{operation}`: failed I/O (Redis commands, RPCs), by operation. */
  readonly ioFailuresTotal: Counter<'operation'>;
  /** `flunq_redis_used_memory_bytes`: Redis `used_memory`, see `watchRedisMemory`. */
  readonly redisUsedMemoryBytes: Gauge;
  /** `flunq_maintenance_items_total{job,outcome}`: executions a maintenance job handled (e.g. retention: archived, reused, changed, gone, failed). */
  readonly maintenanceItemsTotal: Counter<'job' | 'outcome'>;
  /** `flunq_maintenance_bytes_total{job}`: bytes a maintenance job wrote (archives) or saved. */
  readonly maintenanceBytesTotal: Counter<'job'>;
  /** `flunq_maintenance_runs_total{job,outcome}`: maintenance runs by outcome (completed, failed). */
  readonly maintenanceRunsTotal: Counter<'job' | 'outcome'>;
}

/** Creates the registry of `service` with Node's default metrics (prefixed `flunq_`) and flunq's own. */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const registers = [registry];
  return {
    registry,
    tasksTotal: new Counter({ name: `${METRIC_PREFIX}tasks_total`, help: 'Task runs by task type and outcome.', labelNames: ['task_type', 'outcome'], registers }),
    taskDuration: new Histogram({
      name: `${METRIC_PREFIX}task_duration_seconds`,
      help: 'Wall time of task runs in seconds.',
      labelNames: ['task_type', 'outcome'],
      buckets: TASK_SECOND_BUCKETS,
      registers,
    }),
    payloadBytes: new Histogram({
      name: `${METRIC_PREFIX}payload_bytes`,
      help: 'JSON size in bytes of task inputs and outputs.',
      labelNames: ['direction'],
      buckets: [...PAYLOAD_BYTE_BUCKETS],
      registers,
    }),
    serializationSeconds: new Histogram({
      name: `${METRIC_PREFIX}serialization_seconds`,
      help: 'Time spent encoding and decoding payloads, in seconds.',
      labelNames: ['operation'],
      buckets: SERIALIZATION_SECOND_BUCKETS,
      registers,
    }),
    ioFailuresTotal: new Counter({ name: `${METRIC_PREFIX}io_failures_total`, help: 'Failed I/O operations by operation.', labelNames: ['operation'], registers }),
    redisUsedMemoryBytes: new Gauge({ name: `${METRIC_PREFIX}redis_used_memory_bytes`, help: 'Redis used_memory in bytes (INFO memory).', registers }),
    maintenanceItemsTotal: new Counter({ name: `${METRIC_PREFIX}maintenance_items_total`, help: 'Executions handled by maintenance jobs, by job and outcome.', labelNames: ['job', 'outcome'], registers }),
    maintenanceBytesTotal: new Counter({ name: `${METRIC_PREFIX}maintenance_bytes_total`, help: 'Bytes written (archives) by maintenance jobs.', labelNames: ['job'], registers }),
    maintenanceRunsTotal: new Counter({ name: `${METRIC_PREFIX}maintenance_runs_total`, help: 'Maintenance job runs by job and outcome.', labelNames: ['job', 'outcome'], registers }),
  };
}
