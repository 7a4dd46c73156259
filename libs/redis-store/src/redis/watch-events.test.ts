import { Redis } from 'ioredis';
import { describe, expect, inject, test } from 'vitest';
import { MemoryIoStore } from '../memory/memory-io-store.js';
import { ExecutionBuilder } from '../testing/execution-builder.js';
import { createRedisHarness } from '../testing/redis-harness.js';
import { collectWatch, describeWatchEventsContract, eventually } from '../testing/watch-events-contract.js';
import { RedisIoStore } from './redis-io-store.js';

describeWatchEventsContract('MemoryIoStore', async () => {
  const store = new MemoryIoStore();
  return { store, close: () => store.close() };
});

describeWatchEventsContract('RedisIoStore on a real Redis', async () => createRedisHarness(new Redis(inject('redisUrl'))));

describe('RedisIoStore.watchEvents', () => {
  const clients = async (admin: Redis): Promise<number> => String(await admin.client('LIST')).split('\n').filter((line: string) => line.includes('cmd=xread')).length;

  test('each watch holds one dedicated connection, closed on abort', async () => {
    const admin = new Redis(inject('redisUrl'));
    const store = new RedisIoStore({ redis: inject('redisUrl'), keyPrefix: `watch-${Date.now()}:` });
    const builder = new ExecutionBuilder(`conn-${Date.now()}`);
    await store.recordEvent(builder.started({}));
    const before = await clients(admin);
    const watches = [collectWatch(store, builder.executionId), collectWatch(store, builder.executionId)];
    await eventually(() => watches.every((w) => w.seen.length === 1));
    let blocked = 0;
    for (let i = 0; i < 100 && blocked < before + 2; i++) {
      blocked = await clients(admin);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(blocked).toBe(before + 2);
    for (const w of watches) w.controller.abort();
    await Promise.all(watches.map((w) => w.done));
    let after = blocked;
    for (let i = 0; i < 100 && after > before; i++) {
      after = await clients(admin);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(after).toBe(before);
    await store.close();
    admin.disconnect();
  });
});
