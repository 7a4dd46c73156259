import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { describeIoStoreContract } from '../testing/io-store-contract.js';
import { RedisIoStore } from './redis-io-store.js';

const retention = { stateTtlMs: 7 * 86_400_000, eventTtlMs: 30 * 86_400_000 };
const maxTaskOutputSize = 64 * 1024;

describeIoStoreContract('RedisIoStore on a real Redis', async () => {
  const redis = new Redis(inject('redisUrl'));
  const store = new RedisIoStore({
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
    },
  };
});
