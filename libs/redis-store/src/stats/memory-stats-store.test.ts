import { describe, expect, test } from 'vitest';
import { createKeyBuilder } from '../keys/key-builder.js';
import { canonicalDump } from '../testing/definition-dump.js';
import { describeStatsStoreContract, dumpMemoryStats, sampleStats } from '../testing/stats-store-contract.js';
import { MemoryStatsStore } from './memory-stats-store.js';
import { bucketOf, DURATION_BOUNDS_MS, HOUR_MS, percentile, SIZE_BOUNDS_BYTES } from './stats-record.js';

describeStatsStoreContract('MemoryStatsStore', async () => {
  const stats = new MemoryStatsStore();
  return { stats, rawDump: () => Promise.resolve(canonicalDump(dumpMemoryStats(stats.inspect()))), close: () => stats.close() };
});

describe('stats keys and histograms', () => {
  test('every stats key of one tenant carries the {<tenant>} hash tag, under the prefix', () => {
    const keys = createKeyBuilder('prod:');
    expect(keys.statsHour('acme', 480_000)).toBe('prod:stats:{acme}:hour:480000');
    expect(() => keys.statsHour('a/b', 1)).toThrow(/invalid tenant id/);
    expect(() => keys.statsHour('acme', -1)).toThrow(/invalid stats hour id/);
    expect(() => keys.statsHour('acme', 1.5)).toThrow(/invalid stats hour id/);
  });

  test('buckets are powers of two: 1 ms .. 2^22 ms and 64 B .. 16 MiB, then one bucket above', () => {
    expect(DURATION_BOUNDS_MS[0]).toBe(1);
    expect(DURATION_BOUNDS_MS.at(-1)).toBe(4_194_304);
    expect(SIZE_BOUNDS_BYTES[0]).toBe(64);
    expect(SIZE_BOUNDS_BYTES.at(-1)).toBe(16 * 1024 * 1024);
    expect([0, 1, 2, 3, 4, 5, 1024, 1025].map((v) => bucketOf(DURATION_BOUNDS_MS, v))).toEqual([0, 0, 1, 2, 2, 3, 10, 11]);
    expect(bucketOf(DURATION_BOUNDS_MS, 4_194_305)).toBe(23);
    expect(bucketOf(SIZE_BOUNDS_BYTES, 0)).toBe(0);
    expect(bucketOf(SIZE_BOUNDS_BYTES, 65)).toBe(1);
    expect(percentile([0, 0], [1], 0.5)).toBeNull();
    expect(percentile([1, 1], [1], 0.99)).toBeNull();
  });
});

describe('MemoryStatsStore', () => {
  test('an hour expires `retentionMs` after it ends', async () => {
    let now = 10 * HOUR_MS;
    const stats = new MemoryStatsStore({ retentionMs: 2 * HOUR_MS, now: () => now });
    await stats.record('t', sampleStats({ atMs: 9 * HOUR_MS + 5 }));
    expect([...stats.inspect().values()].map((h) => h.expiresAtMs)).toEqual([12 * HOUR_MS]);
    now = 12 * HOUR_MS - 1;
    expect((await stats.read('t', { fromMs: 0, toMs: now })).tasks).toHaveLength(1);
    now = 12 * HOUR_MS;
    expect((await stats.read('t', { fromMs: 0, toMs: now })).tasks).toEqual([]);
    expect(stats.inspect().size).toBe(0);
  });
});
