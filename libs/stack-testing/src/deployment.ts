import { randomUUID } from 'node:crypto';
import { BullStepScheduler, createStepQueue, EngineClient, publishCancellation } from '@flunq/engine';
import { RedisDefinitionStore, RedisIoStore } from '@flunq/redis-store';
import { Redis } from 'ioredis';

/** One isolated deployment on a shared Redis: its own key and queue prefixes, and an EngineClient on them. */
export function deployment(redisUrl: string) {
  const id = randomUUID().slice(0, 8);
  const keyPrefix = `e2e-${id}:`;
  const queuePrefix = `{e2e-${id}}`;
  const store = new RedisIoStore({ redis: redisUrl, keyPrefix });
  const definitions = new RedisDefinitionStore({ redis: redisUrl, keyPrefix });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const publisher = new Redis(redisUrl);
  const queue = createStepQueue({ connection, prefix: queuePrefix });
  const client = new EngineClient({
    store,
    definitions,
    scheduler: new BullStepScheduler(queue),
    onCancelled: async (executionId) => void (await publishCancellation(publisher, executionId, keyPrefix)),
  });
  return {
    keyPrefix,
    queuePrefix,
    store,
    client,
    publisher,
    /** The environment of an io-api process on this deployment. */
    apiEnv: (apiKeys: string): Record<string, string> => ({
      REDIS_URL: redisUrl,
      FLUNQ_KEY_PREFIX: keyPrefix,
      FLUNQ_QUEUE_PREFIX: queuePrefix,
      FLUNQ_API_KEYS: apiKeys,
      FLUNQ_API_PORT: '0',
      FLUNQ_API_METRICS_PORT: '0',
    }),
    workerEnv: (executorUrl: string): Record<string, string> => ({
      REDIS_URL: redisUrl,
      FLUNQ_KEY_PREFIX: keyPrefix,
      FLUNQ_QUEUE_PREFIX: queuePrefix,
      FLUNQ_EXECUTOR_URL: executorUrl,
      FLUNQ_WORKER_METRICS_PORT: '0',
      FLUNQ_STALLED_INTERVAL: '1s',
      FLUNQ_LOCK_DURATION: '2s',
      LOG_LEVEL: 'debug',
    }),
    close: async () => {
      await queue.close();
      await Promise.all([store.close(), definitions.close()]);
      connection.disconnect();
      publisher.disconnect();
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
