import type { ExecutionCounts, MemoryByKind, PayloadTotals, StatsReport } from '@flunq/redis-store';
import type { ApiDeps, Handlers } from '../context.js';
import { ApiProblem } from '../problems.js';

/** Default range of `GET /stats`: the last 24 hours. */
export const DEFAULT_STATS_RANGE_MS = 24 * 3_600_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const counts = (c: ExecutionCounts) => ({ started: c.started, completed: c.completed, failed: c.failed, cancelled: c.cancelled });
const totals = (t: PayloadTotals) => ({ count: t.count, original_bytes: t.originalBytes, stored_bytes: t.storedBytes, compression_savings: t.compressionSavings });

/** A {@link StatsReport} in the API's snake_case shape (see `Stats` in openapi.yaml). */
export function statsView(report: StatsReport, memory: MemoryByKind | undefined): Record<string, unknown> {
  const { executions, tasks, payloads } = report;
  return {
    from: iso(report.fromMs),
    to: iso(report.toMs),
    executions: {
      by_status: counts(executions.byStatus),
      by_workflow: Object.fromEntries(Object.entries(executions.byWorkflow).map(([workflowId, c]) => [workflowId, counts(c)])),
      per_hour: executions.perHour.map((h) => ({ hour: iso(h.hourMs), ...counts(h) })),
    },
    tasks: tasks.map((t) => ({ workflow_id: t.workflowId, task_name: t.taskName, count: t.count, failed: t.failed, p50_ms: t.p50Ms, p95_ms: t.p95Ms, p99_ms: t.p99Ms })),
    payloads: {
      ...totals(payloads),
      by_direction: { input: totals(payloads.byDirection.input), output: totals(payloads.byDirection.output) },
      size_buckets: payloads.sizeBuckets.map((b) => ({ up_to_bytes: b.upToBytes, count: b.count })),
    },
    ...(memory
      ? {
          redis_memory: {
            kinds: memory.kinds,
            total_bytes: memory.totalBytes,
            keys_examined: memory.keysExamined,
            sampled: memory.sampled,
            max_keys: memory.maxKeys,
          },
        }
      : {}),
  };
}

/** `GET /stats`: execution analytics of the tenant (counts over time, task durations, payload sizes, Redis memory). */
export function statsHandlers(deps: ApiDeps): Handlers {
  return {
    async getStats(request, _reply, tenant) {
      const query = request.query as { from?: string; to?: string; workflow_id?: string; memory?: boolean };
      if (!deps.stats) throw new ApiProblem(503, 'storage-unavailable', 'execution statistics are not configured on this server');
      const toMs = query.to ? Date.parse(query.to) : Date.now() + 1;
      const fromMs = query.from ? Date.parse(query.from) : toMs - DEFAULT_STATS_RANGE_MS;
      const [report, memory] = await Promise.all([
        deps.stats.read(tenant, { fromMs: Math.max(0, fromMs), toMs, ...(query.workflow_id ? { workflowId: query.workflow_id } : {}) }),
        query.memory !== false && deps.redisMemory ? deps.redisMemory(tenant) : Promise.resolve(undefined),
      ]);
      return statsView(report, memory);
    },
  };
}
