import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { RedisExecutionIndex } from '../executions/redis-execution-index.js';
import { canonicalDump, dumpRedisKeys } from './definition-dump.js';
import type { ExecutionIndexHarness } from './execution-index-contract.js';

/**
 * The contract-suite harness of a {@link RedisExecutionIndex} on a connected client (a single
 * server or a Cluster), with its own key prefix so runs never see each other's keys.
 */
export function createRedisExecutionIndexHarness(redis: Redis | Cluster, onClose: () => Promise<void> = async () => undefined): ExecutionIndexHarness {
  const keyPrefix = `test-${randomUUID()}:`;
  const index = new RedisExecutionIndex({ redis, keyPrefix });
  return {
    index,
    async rawDump() {
      return canonicalDump((await dumpRedisKeys(redis, keyPrefix)).map((k) => ({ ...k, key: k.key.slice(keyPrefix.length) })));
    },
    async close() {
      await index.close();
      redis.disconnect();
      await onClose();
    },
  };
}
