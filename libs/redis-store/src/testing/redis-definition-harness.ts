import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { RedisDefinitionStore } from '../definitions/redis-definition-store.js';
import type { DefinitionStoreHarness } from './definition-store-contract.js';
import { canonicalDump, dumpRedisKeys } from './definition-dump.js';

/**
 * The contract-suite harness of a {@link RedisDefinitionStore} on a connected client (a
 * single server or a Cluster), with its own key prefix so runs never see each other's keys.
 */
export function createRedisDefinitionHarness(
  redis: Redis | Cluster,
  onClose: () => Promise<void> = async () => undefined,
  maxSourceBytes = 100 * 1024,
): DefinitionStoreHarness {
  const keyPrefix = `test-${randomUUID()}:`;
  const store = new RedisDefinitionStore({ redis, keyPrefix, maxSourceBytes });
  const { keys } = store;
  return {
    store,
    maxSourceBytes,
    async rawDump() {
      return canonicalDump((await dumpRedisKeys(redis, keyPrefix)).map((k) => ({ ...k, key: k.key.slice(keyPrefix.length) })));
    },
    async storedSource(tenantId, workflowId, version) {
      const bytes = await redis.hgetBuffer(keys.definition(tenantId, workflowId), `src:${version}`);
      return bytes ? new Uint8Array(bytes) : undefined;
    },
    async dropIndex(tenantId) {
      await redis.del(keys.definitionIndex(tenantId));
    },
    async close() {
      await store.close();
      redis.disconnect();
      await onClose();
    },
  };
}
