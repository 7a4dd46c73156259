import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { CorruptedDataError } from '@flunq/serializer';
import { DefinitionTooLargeError, StorageFailureError } from '../errors/store-errors.js';
import { describeDefinitionStoreContract, sampleDefinition } from '../testing/definition-store-contract.js';
import { canonicalDump, dumpMemoryStore } from '../testing/definition-dump.js';
import { createRedisDefinitionHarness } from '../testing/redis-definition-harness.js';
import type { DefinitionStore } from './definition-store.js';
import { MemoryDefinitionStore } from './memory-definition-store.js';
import { RedisDefinitionStore } from './redis-definition-store.js';

describeDefinitionStoreContract('RedisDefinitionStore on a real Redis', async () => createRedisDefinitionHarness(new Redis(inject('redisUrl'))));

const bigSource = (marker: string): string => `${sampleDefinition('big', '2', marker)}${'# padding line of the definition\n'.repeat(200)}`;

async function scenario(store: DefinitionStore): Promise<void> {
  await store.register({ tenantId: 'acme', workflowId: 'orders', version: '1', source: sampleDefinition('orders', '1'), registeredAtMs: 10 });
  await store.register({ tenantId: 'acme', workflowId: 'orders', version: '2', source: bigSource('x'), registeredAtMs: 20 });
  await store.register({ tenantId: 'acme', workflowId: 'orders', version: '1', source: sampleDefinition('orders', '1'), registeredAtMs: 30 });
  await store.register({ tenantId: 'acme', workflowId: 'orders', version: '2', source: bigSource('y'), registeredAtMs: 40 }).catch(() => undefined);
  await store.register({ tenantId: 'acme', workflowId: 'team/billing', version: '0.1.0-rc.1', source: 'ünï ✓', registeredAtMs: 50 });
  await store.register({ tenantId: 'globex', workflowId: 'orders', version: '1', source: sampleDefinition('orders', '1', 'g'), registeredAtMs: 60 });
}

describe('RedisDefinitionStore', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(() => {
    redis.disconnect();
  });

  test('stores exactly the keys and bytes MemoryDefinitionStore models', async () => {
    const harness = createRedisDefinitionHarness(new Redis(inject('redisUrl')));
    const memory = new MemoryDefinitionStore({ maxSourceBytes: harness.maxSourceBytes });
    await scenario(harness.store);
    await scenario(memory);
    const dump = await harness.rawDump();
    expect(dump).toContain('"workflow:definition:{acme/orders}"');
    expect(dump).toBe(canonicalDump(dumpMemoryStore(memory.inspect())));
    await harness.close();
  });

  test('a damaged record is reported as corrupted data, never returned', async () => {
    const store = new RedisDefinitionStore({ redis, keyPrefix: `damage-${Date.now()}:` });
    await store.register({ tenantId: 't', workflowId: 'big', version: '1', source: bigSource('z') });
    await store.register({ tenantId: 't', workflowId: 'small', version: '1', source: 'small source' });
    const bigKey = store.keys.definition('t', 'big');
    const stored = await redis.hgetBuffer(bigKey, 'src:1');
    expect(stored).not.toBeNull();
    const flipped = Buffer.from(stored ?? []);
    flipped[flipped.length - 5] = (flipped[flipped.length - 5] ?? 0) ^ 0xff;
    await redis.hset(bigKey, 'src:1', flipped);
    await expect(store.get({ tenantId: 't', workflowId: 'big' })).rejects.toBeInstanceOf(CorruptedDataError);
    await redis.hset(store.keys.definition('t', 'small'), 'src:1', 'small sourcE');
    await expect(store.get({ tenantId: 't', workflowId: 'small' })).rejects.toThrow(/sha256/);
    await redis.hset(store.keys.definition('t', 'small'), 'latest', 'missing');
    await expect(store.get({ tenantId: 't', workflowId: 'small' })).rejects.toThrow(/latest names a version/);
  });

  test('registers after the script cache is flushed (NOSCRIPT) and owns a client made from a URL', async () => {
    const store = new RedisDefinitionStore({ redis: inject('redisUrl'), keyPrefix: `owned-${Date.now()}:` });
    await redis.script('FLUSH');
    expect((await store.register({ tenantId: 't', workflowId: 'wf', version: '1', source: 'x' })).outcome).toBe('created');
    expect(store.maxSourceBytes).toBe(1024 * 1024);
    await store.close();
  });

  test('Redis failures are StorageFailureErrors', async () => {
    const broken = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const store = new RedisDefinitionStore({ redis: broken });
    await expect(store.register({ tenantId: 't', workflowId: 'wf', version: '1', source: 'x' })).rejects.toBeInstanceOf(StorageFailureError);
    await expect(store.get({ tenantId: 't', workflowId: 'wf' })).rejects.toBeInstanceOf(StorageFailureError);
    broken.disconnect();
  });

  test('the default limit is 1 MiB of UTF-8', async () => {
    const store = new RedisDefinitionStore({ redis, keyPrefix: `limit-${Date.now()}:` });
    const error = await store.register({ tenantId: 't', workflowId: 'wf', version: '1', source: 'x'.repeat(1024 * 1024 + 1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefinitionTooLargeError);
    expect(error).toMatchObject({ sizeBytes: 1024 * 1024 + 1, limitBytes: 1024 * 1024 });
  });
});
