import { Redis } from 'ioredis';
import { describe, expect, inject, test } from 'vitest';
import { ExecutionStatus } from '@flunq/proto-types';
import { StorageFailureError } from '../errors/store-errors.js';
import { canonicalDump, dumpRedisKeys } from '../testing/definition-dump.js';
import { describeExecutionIndexContract, dumpMemoryExecutionIndex, expectScanBudgetPaging, sampleSummary } from '../testing/execution-index-contract.js';
import { createRedisExecutionIndexHarness } from '../testing/redis-execution-index-harness.js';
import type { ExecutionIndex } from './execution-index.js';
import { MemoryExecutionIndex } from './memory-execution-index.js';
import { RedisExecutionIndex } from './redis-execution-index.js';

describeExecutionIndexContract('RedisExecutionIndex on a real Redis', async () => createRedisExecutionIndexHarness(new Redis(inject('redisUrl'))));

async function scenario(index: ExecutionIndex): Promise<void> {
  await index.upsert(sampleSummary('acme', 'e1', { workflowId: 'team/a', correlationId: 'ünï ✓' }));
  await index.upsert(sampleSummary('acme', 'e2', { createdAtMs: 5 }));
  await index.upsert(sampleSummary('acme', 'e1', { workflowId: 'team/b', status: ExecutionStatus.COMPLETED, updatedAtMs: Date.UTC(2025, 0, 1), completedAtMs: 9 }));
  await index.upsert(sampleSummary('globex', 'e1', { status: ExecutionStatus.CANCELLED }));
}

describe('RedisExecutionIndex', () => {
  test('stores exactly the keys and values MemoryExecutionIndex models', async () => {
    const keyPrefix = `same-${Date.now()}:`;
    const redis = new Redis(inject('redisUrl'));
    const index = new RedisExecutionIndex({ redis, keyPrefix });
    const memory = new MemoryExecutionIndex();
    await scenario(index);
    await scenario(memory);
    const dump = canonicalDump((await dumpRedisKeys(redis, keyPrefix)).map((k) => ({ ...k, key: k.key.slice(keyPrefix.length) })));
    expect(dump).toContain('"executions:{acme}:status:COMPLETED"');
    expect(dump).toBe(canonicalDump(dumpMemoryExecutionIndex(memory.inspect())));
    redis.disconnect();
  });

  test('works after the script cache is flushed (NOSCRIPT) and owns a client made from a URL', async () => {
    const index = new RedisExecutionIndex({ redis: inject('redisUrl'), keyPrefix: `owned-${Date.now()}:` });
    const admin = new Redis(inject('redisUrl'));
    await admin.script('FLUSH');
    await index.upsert(sampleSummary('t', 'e1'));
    await admin.script('FLUSH');
    expect((await index.list({ tenantId: 't' })).items).toHaveLength(1);
    await index.close();
    admin.disconnect();
  });

  test('a listing examines at most EXECUTION_SCAN_BUDGET entries: short pages carry a cursor until the end', async () => {
    const redis = new Redis(inject('redisUrl'));
    await expectScanBudgetPaging(new RedisExecutionIndex({ redis, keyPrefix: `budget-${Date.now()}:` }), 't');
    redis.disconnect();
  });

  test('Redis failures are StorageFailureErrors', async () => {
    const broken = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const index = new RedisExecutionIndex({ redis: broken });
    await expect(index.upsert(sampleSummary('t', 'e1'))).rejects.toBeInstanceOf(StorageFailureError);
    await expect(index.list({ tenantId: 't' })).rejects.toBeInstanceOf(StorageFailureError);
    await expect(index.get('t', 'e1')).rejects.toBeInstanceOf(StorageFailureError);
    broken.disconnect();
  });
});
