import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, inject, test } from 'vitest';
import { StorageFailureError } from '../errors/store-errors.js';
import { RedisExecutionIndex } from '../executions/redis-execution-index.js';
import { RedisIoStore } from '../redis/redis-io-store.js';
import { canonicalDump, dumpRedisKeys } from '../testing/definition-dump.js';
import { sampleSummary } from '../testing/execution-index-contract.js';
import { ExecutionBuilder } from '../testing/execution-builder.js';
import { startRedisCluster } from '../testing/redis-cluster.js';
import { describeStatsStoreContract, dumpMemoryStats, sampleStats, type StatsStoreHarness } from '../testing/stats-store-contract.js';
import { MemoryStatsStore } from './memory-stats-store.js';
import { classifyKey, RedisStatsStore } from './redis-stats-store.js';
import { HOUR_MS } from './stats-record.js';
import type { StatsStore } from './stats-store.js';

function harness(redis: Redis | Cluster, onClose: () => Promise<void> = async () => undefined): StatsStoreHarness {
  const keyPrefix = `test-${randomUUID()}:`;
  const stats = new RedisStatsStore({ redis, keyPrefix });
  return {
    stats,
    rawDump: async () => canonicalDump((await dumpRedisKeys(redis, keyPrefix)).map((k) => ({ ...k, key: k.key.slice(keyPrefix.length) }))),
    close: async () => {
      await stats.close();
      redis.disconnect();
      await onClose();
    },
  };
}

describeStatsStoreContract('RedisStatsStore on a real Redis', async () => harness(new Redis(inject('redisUrl'))));

// Every stats key of a tenant carries the `{<tenantId>}` hash tag: a record is one script, a read one pipeline, on one node.
describeStatsStoreContract('RedisStatsStore on a Redis Cluster', async () => {
  const cluster = await startRedisCluster(3);
  return harness(new Cluster(cluster.nodes), () => cluster.stop());
});

async function scenario(stats: StatsStore): Promise<void> {
  const atMs = Date.now() - HOUR_MS;
  await stats.record('acme', sampleStats({ kind: 'execution.started', atMs, payloads: [{ direction: 'input', originalBytes: 300, storedBytes: 120 }] }));
  await stats.record('acme', sampleStats({ atMs, taskName: 'a:b c', durationMs: 70, payloads: [{ direction: 'output', originalBytes: 10, storedBytes: 10 }] }));
  await stats.record('acme', sampleStats({ kind: 'task.failed', atMs: atMs + HOUR_MS }));
  await stats.record('globex', sampleStats({ kind: 'execution.cancelled', atMs }));
}

describe('RedisStatsStore', () => {
  test('stores exactly the keys and fields MemoryStatsStore models, each hash expiring 7 days after its hour', async () => {
    const keyPrefix = `same-${randomUUID()}:`;
    const redis = new Redis(inject('redisUrl'));
    const stats = new RedisStatsStore({ redis, keyPrefix });
    const memory = new MemoryStatsStore();
    await scenario(stats);
    await scenario(memory);
    const dump = canonicalDump((await dumpRedisKeys(redis, keyPrefix)).map((k) => ({ ...k, key: k.key.slice(keyPrefix.length) })));
    expect(dump).toContain('"td7:orders:a:b c"');
    expect(dump).toBe(canonicalDump(dumpMemoryStats(memory.inspect())));
    for (const [key, { expiresAtMs }] of memory.inspect()) expect(Math.abs((await redis.pexpiretime(`${keyPrefix}${key}`)) - expiresAtMs)).toBeLessThanOrEqual(1);
    redis.disconnect();
  });

  test('works after the script cache is flushed (NOSCRIPT) and owns a client made from a URL', async () => {
    const stats = new RedisStatsStore({ redis: inject('redisUrl'), keyPrefix: `owned-${randomUUID()}:` });
    const admin = new Redis(inject('redisUrl'));
    await admin.script('FLUSH');
    await stats.record('t', sampleStats());
    expect((await stats.read('t', { fromMs: Date.now() - 1, toMs: Date.now() })).tasks).toHaveLength(1);
    await stats.close();
    admin.disconnect();
  });

  test('Redis failures are StorageFailureErrors', async () => {
    const broken = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const stats = new RedisStatsStore({ redis: broken });
    await expect(stats.record('t', sampleStats())).rejects.toBeInstanceOf(StorageFailureError);
    await expect(stats.read('t', { fromMs: 0, toMs: 1 })).rejects.toBeInstanceOf(StorageFailureError);
    await expect(stats.memoryByKind()).rejects.toBeInstanceOf(StorageFailureError);
    broken.disconnect();
  });

  test('key kinds are told from their names', () => {
    expect(classifyKey('workflow:state:{e1}')).toEqual({ kind: 'state', executionId: 'e1' });
    expect(classifyKey('events:workflow:{e1}')).toEqual({ kind: 'events', executionId: 'e1' });
    expect(classifyKey('workflow:snapshots:{e1}')).toEqual({ kind: 'snapshots', executionId: 'e1' });
    expect(classifyKey('workflow:blobs:{e1}')).toEqual({ kind: 'blobs', executionId: 'e1' });
    expect(classifyKey('workflow:definition:{t/w}')).toEqual({ kind: 'definitions', tenantId: 't' });
    expect(classifyKey('workflow:definition:versions:{t/w}')).toEqual({ kind: 'definitions', tenantId: 't' });
    expect(classifyKey('workflow:definitions:{t}')).toEqual({ kind: 'definitions', tenantId: 't' });
    expect(classifyKey('executions:{t}:status:RUNNING')).toEqual({ kind: 'executions', tenantId: 't' });
    expect(classifyKey('execution:summary:{t}')).toEqual({ kind: 'executions', tenantId: 't' });
    expect(classifyKey('search:eq:{t}:abc')).toEqual({ kind: 'search', tenantId: 't' });
    expect(classifyKey('stats:{t}:hour:5')).toEqual({ kind: 'stats', tenantId: 't' });
    expect(classifyKey('something:else')).toEqual({ kind: 'other' });
  });

  test('memoryByKind: MEMORY USAGE summed by kind, per deployment or per tenant; a bounded scan is scaled and says so', async () => {
    const url = inject('redisUrl');
    const redis = new Redis(url);
    const keyPrefix = `mem-${randomUUID()}:`;
    const queuePrefix = `{q-${randomUUID().slice(0, 8)}}`;
    const store = new RedisIoStore({ redis, keyPrefix });
    const index = new RedisExecutionIndex({ redis, keyPrefix });
    const stats = new RedisStatsStore({ redis, keyPrefix, queuePrefix });
    const builder = new ExecutionBuilder(`mem-${randomUUID()}`);
    await store.recordEvent(builder.started({ big: 'x'.repeat(5000) }));
    await index.upsert(sampleSummary('acme', builder.executionId));
    await store.recordEvent(new ExecutionBuilder(`other-${randomUUID()}`).started({}));
    await stats.record('acme', sampleStats());
    await stats.record('globex', sampleStats());
    await redis.set(`${queuePrefix}:steps:id`, '1');
    await redis.set(`${keyPrefix}unknown`, '1');

    const all = await stats.memoryByKind({ maxKeys: 1_000_000 });
    expect(all.sampled).toBe(false);
    expect(all.kinds.state.keys).toBe(2);
    expect(all.kinds.events.keys).toBe(2);
    expect(all.kinds.executions.keys).toBe(4);
    expect(all.kinds.stats.keys).toBe(2);
    expect(all.kinds.queue.keys).toBe(1);
    expect(all.kinds.other.keys).toBe(1);
    expect(all.kinds.events.bytes).toBeGreaterThan(1000);
    expect(all.totalBytes).toBe(Object.values(all.kinds).reduce((sum, k) => sum + k.bytes, 0));
    expect(all.keysExamined).toBeGreaterThanOrEqual(9);

    const acme = await stats.memoryByKind({ tenantId: 'acme', maxKeys: 1_000_000 });
    expect(acme.kinds).toMatchObject({ state: { keys: 1 }, events: { keys: 1 }, executions: { keys: 4 }, stats: { keys: 1 }, queue: { keys: 0 }, other: { keys: 0 } });
    expect(acme.kinds.events.bytes).toBeGreaterThan(1000);

    const sampled = await stats.memoryByKind({ maxKeys: 1 });
    expect(sampled.sampled).toBe(true);
    expect(sampled.keysExamined).toBeLessThan(await redis.dbsize());
    await expect(stats.memoryByKind({ maxKeys: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(stats.memoryByKind({ tenantId: 'a/b' })).rejects.toMatchObject({ code: 'INVALID_ID' });
    redis.disconnect();
  });

  test('memoryByKind on a Cluster scans every master', async () => {
    const cluster = await startRedisCluster(3);
    const client = new Cluster(cluster.nodes);
    try {
      const stats = new RedisStatsStore({ redis: client, keyPrefix: 'c:' });
      for (let i = 0; i < 20; i++) await stats.record(`tenant-${i}`, sampleStats());
      const report = await stats.memoryByKind();
      expect(report.kinds.stats.keys).toBe(20);
      expect(report.sampled).toBe(false);
      expect((await stats.memoryByKind({ tenantId: 'tenant-3' })).kinds.stats.keys).toBe(1);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  });
});
