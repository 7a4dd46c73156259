import { Redis } from 'ioredis';
import { expect, inject, test } from 'vitest';
import type { IndexTerms, SearchPlan } from './content-index.js';
import { RedisContentIndex } from './redis-content-index.js';
import { keyPages, removeKeysUnder } from '../testing/key-scan.js';

// Measurement, not a check: SEARCH_BENCH=1 npx vitest run --project redis-store content-index.bench
// Indexes N executions with ~10 terms each on the private Redis, then times searches and
// measures the index memory (MEMORY USAGE over every index key / executions).
const N = Number(process.env['SEARCH_BENCH_N'] ?? 100_000);
const BASE = Date.UTC(2024, 4, 1);
const STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];

function termsOf(i: number): IndexTerms {
  return {
    eq: [
      JSON.stringify(['status', 's', STATUSES[i % 4]]),
      JSON.stringify(['workflow', 's', `wf-${i % 20}`]),
      JSON.stringify(['input.customer', 's', `cust-${i % 1000}`]),
      JSON.stringify(['input.vip', 'b', i % 10 === 0]),
    ],
    num: [{ field: 'input.amount', value: i % 5000 }, { field: 'output.items', value: i % 17 }],
    str: [{ field: 'input.customer', value: `cust-${i % 1000}` }],
    has: ['input.customer', 'input.amount', 'output.items'],
  };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

test.runIf(process.env['SEARCH_BENCH'] === '1')(
  'content index: search latency over N indexed executions and index bytes per execution',
  async () => {
    const redis = new Redis(inject('redisUrl'));
    const keyPrefix = `bench-${Date.now()}:`;
    const index = new RedisContentIndex({ redis, keyPrefix });
    const tenant = 'bench';
    const t0 = performance.now();
    for (let i = 0; i < N; i += 1000) {
      const batch: Promise<void>[] = [];
      for (let j = i; j < Math.min(N, i + 1000); j++) batch.push(index.replace(tenant, `exec-${String(j).padStart(7, '0')}`, BASE + j * 1000, termsOf(j)));
      await Promise.all(batch);
    }
    const writeMs = performance.now() - t0;
    const time = async (plan: SearchPlan, calls = 100): Promise<{ p50: number; p95: number; hits: number }> => {
      const ms: number[] = [];
      let hits = 0;
      for (let k = 0; k < calls; k++) {
        const s = performance.now();
        hits = (await index.search(tenant, plan, { limit: 100 })).ids.length;
        ms.push(performance.now() - s);
      }
      ms.sort((a, b) => a - b);
      return { p50: +percentile(ms, 50).toFixed(3), p95: +percentile(ms, 95).toFixed(3), hits };
    };
    const results = {
      'eq 0.1% (customer = cust-7: 100 of 100k)': await time({ eq: JSON.stringify(['input.customer', 's', 'cust-7']) }),
      'eq 5% (workflow = wf-3)': await time({ eq: JSON.stringify(['workflow', 's', 'wf-3']) }),
      'eq 25% (status = FAILED)': await time({ eq: JSON.stringify(['status', 's', 'FAILED']) }),
      'and(eq 25%, eq 10%)': await time({ and: [{ eq: JSON.stringify(['status', 's', 'FAILED']) }, { eq: JSON.stringify(['input.vip', 'b', true]) }] }),
      'range 2% (amount 100..199)': await time({ range: { field: 'input.amount', min: 100, max: 199 } }),
      'prefix (customer cust-12*: 1.1%)': await time({ prefix: { field: 'input.customer', value: 'cust-12' } }),
      'not eq 25% (75%)': await time({ not: { eq: JSON.stringify(['status', 's', 'FAILED']) } }, 20),
      'all': await time({ all: true }),
    };
    // index memory: every key under the prefix (SCAN + MEMORY USAGE)
    let bytes = 0;
    let keys = 0;
    for await (const batch of keyPages(redis, keyPrefix, 5000)) {
      const pipeline = redis.pipeline();
      for (const key of batch) pipeline.memory('USAGE', key, 'SAMPLES', '0');
      for (const [, size] of (await pipeline.exec()) ?? []) bytes += Number(size);
      keys += batch.length;
    }
    const info = await redis.info('memory');
    const sample = await index.indexBytes(tenant, 'exec-0000007');
    expect(sample).toBeGreaterThan(0);
    const recordBytes = Number(await redis.memory('USAGE', index.keys.searchDoc(tenant, 'exec-0000007'), 'SAMPLES', '0'));
    console.log(JSON.stringify({ N, termsPerExecution: 10, writeMs: Math.round(writeMs), writesPerSec: Math.round(N / (writeMs / 1000)), results, keys, memoryUsageBytes: bytes, bytesPerExecution: Math.round(bytes / N), indexBytesSample: sample, recordMemoryUsage: recordBytes, usedMemory: /used_memory:(\d+)/.exec(info)?.[1] }, null, 2));
    // clean up only this run's keys: the private Redis is shared by the other test files
    await removeKeysUnder(redis, keyPrefix);
    redis.disconnect();
  },
  900_000,
);
