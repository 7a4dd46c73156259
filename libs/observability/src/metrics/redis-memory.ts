import type { ServiceMetrics } from './service-metrics.js';

/**
 * Reads `used_memory` (bytes) from the text of Redis `INFO memory` (or full `INFO`).
 * Returns undefined when the field is absent or not a number; `used_memory_rss` and the
 * other `used_memory_*` fields are not mistaken for it.
 */
export function parseUsedMemory(info: string): number | undefined {
  const match = /^used_memory:(\d+)\r?$/m.exec(info);
  return match ? Number(match[1]) : undefined;
}

/**
 * Samples Redis memory into `flunq_redis_used_memory_bytes` now and every `intervalMs`.
 * `readInfo` is e.g. `() => redis.info('memory')`. A failed or unreadable sample counts in
 * `flunq_io_failures_total{operation="redis_info"}` and leaves the gauge as it was.
 * The timer does not keep the process alive. Returns a function that stops sampling.
 */
export function watchRedisMemory(metrics: ServiceMetrics, readInfo: () => Promise<string>, intervalMs: number): () => void {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`watchRedisMemory: intervalMs must be a positive number, got ${intervalMs}`);
  let stopped = false;
  const sample = async (): Promise<void> => {
    try {
      const bytes = parseUsedMemory(await readInfo());
      if (stopped) return;
      if (bytes === undefined) metrics.ioFailuresTotal.inc({ operation: 'redis_info' });
      else metrics.redisUsedMemoryBytes.set(bytes);
    } catch {
      if (!stopped) metrics.ioFailuresTotal.inc({ operation: 'redis_info' });
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
