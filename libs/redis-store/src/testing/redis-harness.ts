import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { RedisIoStore } from '../redis/redis-io-store.js';
import type { IoStoreHarness } from './io-store-contract.js';

/**
 * The contract-suite harness of a {@link RedisIoStore} on a connected client (a single
 * server or a Cluster), with its own key prefix so runs never see each other's keys.
 */
export function createRedisHarness(redis: Redis | Cluster, onClose: () => Promise<void> = async () => undefined): IoStoreHarness {
  const retention = { stateTtlMs: 7 * 86_400_000, eventTtlMs: 30 * 86_400_000 };
  const maxTaskOutputSize = 64 * 1024;
  const claimCheckBytes = 16 * 1024;
  const store = new RedisIoStore({
    claimCheckBytes,
    redis,
    keyPrefix: `test-${randomUUID()}:`,
    ...retention,
    limits: { maxPayloadSize: 10 * 1024 * 1024, maxWorkflowInputSize: 10 * 1024 * 1024, maxTaskOutputSize },
  });
  const { keys } = store;
  return {
    store,
    retention,
    maxTaskOutputSize,
    claimCheckBytes,
    async blobs(id) {
      const held = await redis.hgetallBuffer(keys.blobs(id));
      return { count: Object.keys(held).length, bytes: Object.values(held).reduce((n, b) => n + b.length, 0), ttl: await redis.pttl(keys.blobs(id)) };
    },
    async dropBlobs(id) {
      await redis.del(keys.blobs(id));
    },
    async putRawState(id, value) {
      await redis.set(keys.state(id), Buffer.from(value));
    },
    async putLegacyEntry(id, fields) {
      await redis.xadd(keys.events(id), '*', ...Object.entries(fields).flat());
    },
    async rawDump(id) {
      const state = await redis.getBuffer(keys.state(id));
      const entries = await redis.xrangeBuffer(keys.events(id), '-', '+');
      const hex = entries.map(([entryId, fields]) => [entryId.toString(), fields.map((f) => f.toString('hex'))]);
      return JSON.stringify({ state: state?.toString('hex') ?? null, entries: hex });
    },
    async ttls(id) {
      return { state: await redis.pttl(keys.state(id)), stream: await redis.pttl(keys.events(id)) };
    },
    async close() {
      await store.close();
      redis.disconnect();
      await onClose();
    },
  };
}
