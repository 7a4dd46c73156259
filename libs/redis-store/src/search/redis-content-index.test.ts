import { Redis } from 'ioredis';
import { describe, expect, inject, test } from 'vitest';
import { StorageFailureError } from '../errors/store-errors.js';
import { canonicalSearchDump, describeContentIndexContract, dumpMemoryContentIndex, dumpRedisSearchKeys, sampleTerms } from '../testing/content-index-contract.js';
import { createRedisContentIndexHarness } from '../testing/redis-content-index-harness.js';
import type { ContentIndex } from './content-index.js';
import { MemoryContentIndex } from './memory-content-index.js';
import { RedisContentIndex } from './redis-content-index.js';

describeContentIndexContract('RedisContentIndex on a real Redis', async () => createRedisContentIndexHarness(new Redis(inject('redisUrl'))), 150);

async function scenario(index: ContentIndex): Promise<void> {
  await index.replace('acme', 'e1', 5, sampleTerms({ eq: ['["a","s","ünï ✓"]', 'x'], num: [{ field: 'n', value: 0.1 }, { field: 'n', value: -0 }, { field: 'm', value: 1e21 }], str: [{ field: 's', value: 'Zürich' }], has: ['n', 's'] }));
  await index.replace('acme', 'e2', 7, sampleTerms({ eq: ['x'], str: [{ field: 's', value: '' }] }));
  await index.replace('acme', 'e1', 6, sampleTerms({ eq: ['y'], num: [{ field: 'n', value: 0.1 }, { field: 'n', value: 3 }], has: ['n'] }));
  await index.replace('globex', 'e1', 1, sampleTerms({ has: ['n'] }));
  await index.remove('globex', 'e1');
  await index.replace('globex', 'e3', 1, sampleTerms({ has: ['n'] }));
}

describe('RedisContentIndex', () => {
  test('stores exactly the keys and values MemoryContentIndex models; indexBytes agree', async () => {
    const keyPrefix = `same-${Date.now()}:`;
    const redis = new Redis(inject('redisUrl'));
    const index = new RedisContentIndex({ redis, keyPrefix });
    const memory = new MemoryContentIndex();
    await scenario(index);
    await scenario(memory);
    const dump = canonicalSearchDump(await dumpRedisSearchKeys(redis, keyPrefix));
    expect(dump).toContain('"search:all:{acme}"');
    expect(dump).toBe(canonicalSearchDump(dumpMemoryContentIndex(memory.inspect())));
    expect(await index.indexBytes('acme', 'e1')).toBe(await memory.indexBytes('acme', 'e1'));
    redis.disconnect();
  });

  test('a search leaves no temporary keys, also when it fails inside the script', async () => {
    const keyPrefix = `tmp-${Date.now()}:`;
    const redis = new Redis(inject('redisUrl'));
    const index = new RedisContentIndex({ redis, keyPrefix });
    await index.replace('t', 'e1', 1, sampleTerms({ eq: ['x'], num: [{ field: 'n', value: 1 }] }));
    // a key of the wrong type where the plan reads a numeric ZSET: ZRANGEBYSCORE fails mid-script
    await redis.set(`${keyPrefix}search:num:{t}:broken`, 'not a zset');
    const failed = await index.search('t', { and: [{ not: { eq: 'x' } }, { range: { field: 'broken', min: 0 } }] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StorageFailureError);
    expect((await index.search('t', { or: [{ not: { eq: 'x' } }, { range: { field: 'n' } }] })).ids).toEqual(['e1']);
    expect(await redis.keys(`${keyPrefix}search:tmp:*`)).toEqual([]);
    redis.disconnect();
  });

  test('a replace whose record changed between its read and its script retries and ends consistent', async () => {
    const keyPrefix = `race-${Date.now()}:`;
    const redis = new Redis(inject('redisUrl'));
    const a = new RedisContentIndex({ redis, keyPrefix });
    const memory = new MemoryContentIndex();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) writes.push(a.replace('t', 'e1', i, sampleTerms({ eq: [`v${i % 7}`], num: [{ field: 'n', value: i }], has: [`f${i % 3}`] })));
    await Promise.all(writes);
    const last = JSON.parse((await redis.get(`${keyPrefix}search:terms:{t}:e1`))!) as [number, number];
    const i = last[1];
    await memory.replace('t', 'e1', i, sampleTerms({ eq: [`v${i % 7}`], num: [{ field: 'n', value: i }], has: [`f${i % 3}`] }));
    const dump = canonicalSearchDump(await dumpRedisSearchKeys(redis, keyPrefix));
    expect(dump).toBe(canonicalSearchDump(dumpMemoryContentIndex(memory.inspect())));
    redis.disconnect();
  });

  test('works after the script cache is flushed (NOSCRIPT) and owns a client made from a URL', async () => {
    const index = new RedisContentIndex({ redis: inject('redisUrl'), keyPrefix: `owned-${Date.now()}:` });
    const admin = new Redis(inject('redisUrl'));
    await admin.script('FLUSH');
    await index.replace('t', 'e1', 1, sampleTerms({ eq: ['x'] }));
    await admin.script('FLUSH');
    expect((await index.search('t', { eq: 'x' })).ids).toEqual(['e1']);
    await index.close();
    admin.disconnect();
  });

  test('Redis failures are StorageFailureErrors', async () => {
    const broken = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const index = new RedisContentIndex({ redis: broken });
    await expect(index.replace('t', 'e1', 1, sampleTerms())).rejects.toBeInstanceOf(StorageFailureError);
    await expect(index.remove('t', 'e1')).rejects.toBeInstanceOf(StorageFailureError);
    await expect(index.search('t', { all: true })).rejects.toBeInstanceOf(StorageFailureError);
    await expect(index.indexBytes('t', 'e1')).rejects.toBeInstanceOf(StorageFailureError);
    broken.disconnect();
  });
});
