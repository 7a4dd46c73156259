import { Redis } from 'ioredis';
import { describe, expect, inject, test } from 'vitest';
import { StorageFailureError } from '../errors/store-errors.js';
import { canonicalSearchDump, describeContentIndexContract, dumpMemoryContentIndex, dumpRedisSearchKeys, holdsExecutions, sampleTerms } from '../testing/content-index-contract.js';
import { createRedisContentIndexHarness } from '../testing/redis-content-index-harness.js';
import type { ContentIndex, IndexTerms, SearchPlan } from './content-index.js';
import { MemoryContentIndex } from './memory-content-index.js';
import { RedisContentIndex } from './redis-content-index.js';

describeContentIndexContract('RedisContentIndex on a real Redis', async () => createRedisContentIndexHarness(new Redis(inject('redisUrl'))), 150);
describeContentIndexContract('RedisContentIndex on a real Redis, segments of 3', async () => createRedisContentIndexHarness(new Redis(inject('redisUrl')), undefined, { segmentSize: 3 }), 100);

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
    expect(dump).toContain('"search:ids:{acme}:0"');
    expect(dump).toBe(canonicalSearchDump(dumpMemoryContentIndex(memory.inspect())));
    expect(await index.indexBytes('acme', 'e1')).toBe(await memory.indexBytes('acme', 'e1'));
    redis.disconnect();
  });

  test('a search that fails inside the script is a StorageFailureError and writes nothing', async () => {
    const keyPrefix = `fail-${Date.now()}:`;
    const redis = new Redis(inject('redisUrl'));
    const index = new RedisContentIndex({ redis, keyPrefix });
    await index.replace('t', 'e1', 1, sampleTerms({ eq: ['x'], num: [{ field: 'n', value: 1 }] }));
    // a key of the wrong type where the plan reads a numeric ZSET: ZRANGEBYSCORE fails mid-script
    const fid = await redis.hget(`${keyPrefix}search:fields:{t}`, 'n');
    await redis.del(`${keyPrefix}search:n:{t}:0:${fid}`);
    await redis.set(`${keyPrefix}search:n:{t}:0:${fid}`, 'not a zset');
    const before = canonicalSearchDump(await dumpRedisSearchKeys(redis, keyPrefix));
    const failed = await index.search('t', { and: [{ not: { eq: 'y' } }, { range: { field: 'n', min: 0 } }] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StorageFailureError);
    expect(canonicalSearchDump(await dumpRedisSearchKeys(redis, keyPrefix))).toBe(before);
    expect((await index.search('t', { eq: 'x' })).ids).toEqual(['e1']);
    redis.disconnect();
  });

  test('concurrent replaces of one execution retry and end consistent: one document, the last terms, nothing leaked', async () => {
    const keyPrefix = `race-${Date.now()}:`;
    const redis = new Redis(inject('redisUrl'));
    const a = new RedisContentIndex({ redis, keyPrefix });
    const memory = new MemoryContentIndex();
    const terms = (i: number): IndexTerms => sampleTerms({ eq: [`v${i % 7}`], num: [{ field: 'n', value: i }], has: [`f${i % 3}`] });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) writes.push(a.replace('t', 'e1', i, terms(i)));
    await Promise.all(writes);
    // every first replace took a document number; the one whose record landed is the execution's
    const record = JSON.parse((await redis.get(`${keyPrefix}search:doc:{t}:e1`))!) as [number, number, number];
    const i = record[2];
    await memory.replace('t', 'e1', i, terms(i));
    expect(Object.keys(await redis.hgetall(`${keyPrefix}search:ids:{t}:0`))).toEqual([String(record[1])]);
    for (const plan of [{ all: true }, { eq: `v${i % 7}` }, { range: { field: 'n', min: i, max: i } }, { has: `f${i % 3}` }, { not: { has: `f${i % 3}` } }] as SearchPlan[]) {
      expect(await a.search('t', plan)).toEqual(await memory.search('t', plan));
    }
    expect(await a.indexBytes('t', 'e1')).toBe(await memory.indexBytes('t', 'e1'));
    await a.remove('t', 'e1');
    expect(holdsExecutions(canonicalSearchDump(await dumpRedisSearchKeys(redis, keyPrefix)), 't')).toBe(false);
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
