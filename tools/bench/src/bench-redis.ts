import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '@flunq/redis-store/testing';

/** A Redis for a benchmark: REDIS_URL when set, else a private server started for the run. */
export async function benchRedis(): Promise<{ redis: Redis; url: string; server?: RedisServerHandle; close(): Promise<void> }> {
  const fromEnv = process.env['REDIS_URL'];
  const server = fromEnv ? undefined : await startRedisServer();
  const url = fromEnv ?? server!.url;
  const redis = new Redis(url, { enableAutoPipelining: process.env['BENCH_AUTOPIPELINE'] !== '0' });
  return {
    redis,
    url,
    ...(server ? { server } : {}),
    async close() {
      redis.disconnect();
      await server?.stop();
    },
  };
}

/** Redis server CPU (user + sys) in microseconds, from INFO cpu. */
export async function redisCpuMicros(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (read('used_cpu_user') + read('used_cpu_sys')) * 1e6;
}

/** MEMORY USAGE of keys in bytes (exact: SAMPLES 0). */
export async function memoryUsage(redis: Redis, keys: string[]): Promise<number> {
  let total = 0;
  for (const key of keys) total += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
  return total;
}

/** Formats a ratio as `0.42x`. */
export const ratio = (value: number, baseline: number): string => `${(value / baseline).toFixed(2)}x`;
