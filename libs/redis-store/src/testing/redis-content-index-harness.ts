import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { RedisContentIndex } from '../search/redis-content-index.js';
import { canonicalSearchDump, dumpRedisSearchKeys, type ContentIndexHarness } from './content-index-contract.js';

/**
 * The contract-suite harness of a {@link RedisContentIndex} on a connected client (a single
 * server or a Cluster), with its own key prefix so runs never see each other's keys
 * (`segmentSize`: small segments exercise many segments with little data).
 */
export function createRedisContentIndexHarness(redis: Redis | Cluster, onClose: () => Promise<void> = async () => undefined, options: { segmentSize?: number } = {}): ContentIndexHarness {
  const keyPrefix = `test-${randomUUID()}:`;
  const index = new RedisContentIndex({ redis, keyPrefix, ...options });
  return {
    index,
    async rawDump() {
      return canonicalSearchDump(await dumpRedisSearchKeys(redis, keyPrefix));
    },
    async close() {
      await index.close();
      redis.disconnect();
      await onClose();
    },
  };
}
