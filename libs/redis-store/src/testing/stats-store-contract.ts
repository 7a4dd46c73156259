import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidArgumentError, InvalidIdError } from '../errors/store-errors.js';
import type { MemoryStatsDump } from '../stats/memory-stats-store.js';
import { HOUR_MS, MAX_STATS_RANGE_HOURS } from '../stats/stats-record.js';
import type { StatsSample, StatsStore } from '../stats/stats-store.js';
import type { DumpedKey } from './definition-dump.js';

/** What the stats contract suite needs from an adapter besides the port: raw access. */
export interface StatsStoreHarness {
  readonly stats: StatsStore;
  /** Everything the store holds (every key and field) as canonical text, to compare before and after. */
  rawDump(): Promise<string>;
  close(): Promise<void>;
}

/** Every hash of a {@link MemoryStatsStore}, in the format of `dumpRedisKeys` (counts as decimal text, hex). */
export function dumpMemoryStats(dump: MemoryStatsDump): DumpedKey[] {
  const hex = (n: number): string => Buffer.from(String(n), 'utf8').toString('hex');
  return [...dump].map(([key, hash]): DumpedKey => ({ key, type: 'hash', fields: Object.fromEntries([...hash.fields].map(([f, v]) => [f, hex(v)])) }));
}

let counter = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;

/** A sample with defaults (a completed task of workflow `orders`, now), for tests. */
export function sampleStats(overrides: Partial<StatsSample> = {}): StatsSample {
  return { kind: 'task.completed', workflowId: 'orders', taskName: 'charge', atMs: Date.now(), durationMs: 10, ...overrides };
}

/**
 * The behaviour every {@link StatsStore} adapter must have. Call inside a test file with a
 * factory for a fresh harness; the same suite runs against memory, Redis and a Redis Cluster.
 * Samples are dated in the last hours (the default retention keeps 7 days).
 */
export function describeStatsStoreContract(adapter: string, createHarness: () => Promise<StatsStoreHarness>): void {
  describe(`StatsStore contract: ${adapter}`, () => {
    let h: StatsStoreHarness;
    const hour = Math.floor(Date.now() / HOUR_MS) - 3;
    const at = (hours: number, ms = 0): number => (hour + hours) * HOUR_MS + ms;
    const range = { fromMs: at(0), toMs: at(4) };
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    test('counts executions by status and by workflow, and task ends, exactly', async () => {
      const tenant = uniqueId('tenant');
      const record = (sample: Partial<StatsSample>) => h.stats.record(tenant, sampleStats({ atMs: at(1, 5), ...sample }));
      for (let i = 0; i < 3; i++) await record({ kind: 'execution.started', workflowId: 'orders' });
      await record({ kind: 'execution.started', workflowId: 'billing' });
      await record({ kind: 'execution.completed', workflowId: 'orders', durationMs: 1200 });
      await record({ kind: 'execution.completed', workflowId: 'orders', durationMs: 900 });
      await record({ kind: 'execution.failed', workflowId: 'billing', durationMs: 50 });
      await record({ kind: 'execution.cancelled', workflowId: 'orders' });
      for (let i = 0; i < 4; i++) await record({ kind: 'task.completed', taskName: 'charge' });
      await record({ kind: 'task.failed', taskName: 'charge' });
      await record({ kind: 'task.failed', workflowId: 'billing', taskName: 'send: invoice/{x}' });
      const report = await h.stats.read(tenant, range);
      expect(report.fromMs).toBe(at(0));
      expect(report.toMs).toBe(at(4));
      expect(report.executions.byStatus).toEqual({ started: 4, completed: 2, failed: 1, cancelled: 1 });
      expect(report.executions.byWorkflow).toEqual({
        billing: { started: 1, completed: 0, failed: 1, cancelled: 0 },
        orders: { started: 3, completed: 2, failed: 0, cancelled: 1 },
      });
      expect(Object.keys(report.executions.byWorkflow)).toEqual(['billing', 'orders']);
      expect(report.tasks).toEqual([
        { workflowId: 'billing', taskName: 'send: invoice/{x}', count: 1, failed: 1, p50Ms: 16, p95Ms: 16, p99Ms: 16 },
        { workflowId: 'orders', taskName: 'charge', count: 5, failed: 1, p50Ms: 16, p95Ms: 16, p99Ms: 16 },
      ]);
      // one workflow only
      const orders = await h.stats.read(tenant, { ...range, workflowId: 'orders' });
      expect(orders.executions.byStatus).toEqual({ started: 3, completed: 2, failed: 0, cancelled: 1 });
      expect(orders.tasks.map((t) => t.taskName)).toEqual(['charge']);
      expect((await h.stats.read(tenant, { ...range, workflowId: 'nothing' })).executions.byWorkflow).toEqual({});
      // an empty tenant: zeros, every hour listed
      const empty = await h.stats.read(uniqueId('empty'), range);
      expect(empty.executions.byStatus).toEqual({ started: 0, completed: 0, failed: 0, cancelled: 0 });
      expect(empty.executions.perHour).toHaveLength(4);
      expect(empty.tasks).toEqual([]);
      expect(empty.payloads).toMatchObject({ count: 0, originalBytes: 0, storedBytes: 0, compressionSavings: 0 });
    });

    test('duration percentiles are the upper bounds of the buckets holding them', async () => {
      const tenant = uniqueId('tenant');
      for (let ms = 1; ms <= 100; ms++) await h.stats.record(tenant, sampleStats({ atMs: at(2), taskName: 'spread', durationMs: ms }));
      await h.stats.record(tenant, sampleStats({ atMs: at(2), taskName: 'instant', durationMs: 0 }));
      for (let i = 0; i < 98; i++) await h.stats.record(tenant, sampleStats({ atMs: at(2), taskName: 'tail', durationMs: 3 }));
      await h.stats.record(tenant, sampleStats({ atMs: at(2), taskName: 'tail', durationMs: 3000 }));
      await h.stats.record(tenant, sampleStats({ atMs: at(2), taskName: 'tail', durationMs: 5 * HOUR_MS }));
      await h.stats.record(tenant, sampleStats({ atMs: at(2), taskName: 'untimed', durationMs: undefined }));
      const tasks = Object.fromEntries((await h.stats.read(tenant, range)).tasks.map((t) => [t.taskName, t]));
      // ranks 50, 95, 99 of 1..100 ms fall in the buckets up to 64 and 128 ms
      expect(tasks['spread']).toMatchObject({ count: 100, p50Ms: 64, p95Ms: 128, p99Ms: 128 });
      expect(tasks['instant']).toMatchObject({ count: 1, p50Ms: 1, p95Ms: 1, p99Ms: 1 });
      // 98 x 3 ms, one 3 s (<= 4096), one 5 h (above 2^22 ms: null)
      expect(tasks['tail']).toMatchObject({ count: 100, p50Ms: 4, p95Ms: 4, p99Ms: 4096 });
      for (let i = 0; i < 2; i++) await h.stats.record(tenant, sampleStats({ atMs: at(2), taskName: 'tail', durationMs: 5 * HOUR_MS }));
      expect((await h.stats.read(tenant, range)).tasks.find((t) => t.taskName === 'tail')).toMatchObject({ count: 102, p50Ms: 4, p95Ms: 4, p99Ms: null });
      expect(tasks['untimed']).toMatchObject({ count: 1, failed: 0, p50Ms: null, p95Ms: null, p99Ms: null });
    });

    test('hourly buckets: per-hour counts, ranges of whole hours, sums over hours', async () => {
      const tenant = uniqueId('tenant');
      const started = (atMs: number) => h.stats.record(tenant, sampleStats({ kind: 'execution.started', atMs }));
      await started(at(0));
      await started(at(1, 1));
      await started(at(1, HOUR_MS - 1));
      await h.stats.record(tenant, sampleStats({ kind: 'execution.completed', atMs: at(3, 10), durationMs: 5 }));
      await h.stats.record(tenant, sampleStats({ atMs: at(0), durationMs: 3 }));
      await h.stats.record(tenant, sampleStats({ atMs: at(3), durationMs: 300 }));
      const report = await h.stats.read(tenant, range);
      expect(report.executions.perHour).toEqual([
        { hourMs: at(0), started: 1, completed: 0, failed: 0, cancelled: 0 },
        { hourMs: at(1), started: 2, completed: 0, failed: 0, cancelled: 0 },
        { hourMs: at(2), started: 0, completed: 0, failed: 0, cancelled: 0 },
        { hourMs: at(3), started: 0, completed: 1, failed: 0, cancelled: 0 },
      ]);
      expect(report.tasks[0]).toMatchObject({ count: 2, p50Ms: 4, p99Ms: 512 });
      // a range inside hour 1 covers that whole hour; the end is exclusive
      const one = await h.stats.read(tenant, { fromMs: at(1, 30), toMs: at(1, 40) });
      expect(one).toMatchObject({ fromMs: at(1), toMs: at(2) });
      expect(one.executions.perHour).toEqual([{ hourMs: at(1), started: 2, completed: 0, failed: 0, cancelled: 0 }]);
      const twoHours = await h.stats.read(tenant, { fromMs: at(2), toMs: at(4) });
      expect(twoHours.executions.byStatus).toEqual({ started: 0, completed: 1, failed: 0, cancelled: 0 });
      expect(twoHours.tasks[0]).toMatchObject({ count: 1, p50Ms: 512 });
      expect((await h.stats.read(tenant, { fromMs: at(0), toMs: at(1) })).executions.byStatus.started).toBe(1);
    });

    test('payloads: totals per direction, the size distribution and the compression savings', async () => {
      const tenant = uniqueId('tenant');
      await h.stats.record(tenant, sampleStats({ kind: 'execution.started', atMs: at(1), payloads: [{ direction: 'input', originalBytes: 1000, storedBytes: 1000 }] }));
      await h.stats.record(tenant, sampleStats({
        atMs: at(2),
        payloads: [
          { direction: 'input', originalBytes: 64, storedBytes: 64 },
          { direction: 'output', originalBytes: 100_000, storedBytes: 20_000 },
        ],
      }));
      await h.stats.record(tenant, sampleStats({ workflowId: 'other', atMs: at(2), payloads: [{ direction: 'output', originalBytes: 40 * 1024 * 1024, storedBytes: 4 * 1024 * 1024 }] }));
      const all = (await h.stats.read(tenant, range)).payloads;
      expect(all.count).toBe(4);
      expect(all.originalBytes).toBe(101_064 + 40 * 1024 * 1024);
      expect(all.storedBytes).toBe(21_064 + 4 * 1024 * 1024);
      expect(all.compressionSavings).toBeCloseTo(1 - all.storedBytes / all.originalBytes, 12);
      const orders = (await h.stats.read(tenant, { ...range, workflowId: 'orders' })).payloads;
      expect(orders).toMatchObject({ count: 3, originalBytes: 101_064, storedBytes: 21_064 });
      expect(orders.byDirection).toEqual({
        input: { count: 2, originalBytes: 1064, storedBytes: 1064, compressionSavings: 0 },
        output: { count: 1, originalBytes: 100_000, storedBytes: 20_000, compressionSavings: 0.8 },
      });
      expect(orders.sizeBuckets).toHaveLength(20);
      expect(orders.sizeBuckets[0]).toEqual({ upToBytes: 64, count: 1 });
      expect(orders.sizeBuckets.find((b) => b.upToBytes === 1024)).toEqual({ upToBytes: 1024, count: 1 });
      expect(orders.sizeBuckets.find((b) => b.upToBytes === 131_072)).toEqual({ upToBytes: 131_072, count: 1 });
      expect(orders.sizeBuckets.reduce((sum, b) => sum + b.count, 0)).toBe(3);
      expect(all.sizeBuckets.at(-1)).toEqual({ upToBytes: null, count: 1 });
    });

    test('tenants are isolated: the same workflow in two tenants counts apart', async () => {
      const a = uniqueId('tenant-a');
      const b = uniqueId('tenant-b');
      await h.stats.record(a, sampleStats({ kind: 'execution.started', atMs: at(1) }));
      await h.stats.record(a, sampleStats({ atMs: at(1) }));
      await h.stats.record(b, sampleStats({ kind: 'execution.failed', atMs: at(1), durationMs: 7 }));
      const ra = await h.stats.read(a, range);
      const rb = await h.stats.read(b, range);
      expect(ra.executions.byStatus).toEqual({ started: 1, completed: 0, failed: 0, cancelled: 0 });
      expect(rb.executions.byStatus).toEqual({ started: 0, completed: 0, failed: 1, cancelled: 0 });
      expect(ra.tasks).toHaveLength(1);
      expect(rb.tasks).toEqual([]);
      const dump = await h.rawDump();
      expect(dump).toContain(`stats:{${a}}:hour:${hour + 1}`);
      expect(dump).toContain(`stats:{${b}}:hour:${hour + 1}`);
    });

    test('an hour past the retention is not written; bad input is refused with typed errors and nothing is written', async () => {
      const tenant = uniqueId('tenant');
      await h.stats.record(tenant, sampleStats({ atMs: at(1) }));
      const before = await h.rawDump();
      await h.stats.record(tenant, sampleStats({ atMs: 0 }));
      await h.stats.record(tenant, sampleStats({ atMs: Date.now() - 8 * 24 * HOUR_MS }));
      expect(await h.rawDump()).toBe(before);
      for (const bad of ['a/b', 'a:b', 'a{b', '', 'a b', 'x'.repeat(300)]) {
        await expect(h.stats.record(bad, sampleStats())).rejects.toBeInstanceOf(InvalidIdError);
        await expect(h.stats.read(bad, range)).rejects.toBeInstanceOf(InvalidIdError);
      }
      await expect(h.stats.record(tenant, sampleStats({ workflowId: 'w:x' }))).rejects.toMatchObject({ code: 'INVALID_ID', kind: 'workflow' });
      await expect(h.stats.read(tenant, { ...range, workflowId: 'w{x}' })).rejects.toMatchObject({ code: 'INVALID_ID', kind: 'workflow' });
      const badSamples: Partial<StatsSample>[] = [
        { kind: 'task.started' as StatsSample['kind'] },
        { atMs: -1 },
        { atMs: Number.NaN },
        { atMs: 1.5 },
        { durationMs: -3 },
        { durationMs: Number.POSITIVE_INFINITY },
        { taskName: '' },
        { taskName: undefined },
        { taskName: 'x'.repeat(2000) },
        { payloads: [{ direction: 'sideways' as 'input', originalBytes: 1, storedBytes: 1 }] },
        { payloads: [{ direction: 'input', originalBytes: -1, storedBytes: 1 }] },
        { payloads: [{ direction: 'output', originalBytes: 1, storedBytes: 0.5 }] },
        { payloads: Array.from({ length: 17 }, () => ({ direction: 'input' as const, originalBytes: 1, storedBytes: 1 })) },
      ];
      for (const overrides of badSamples) await expect(h.stats.record(tenant, sampleStats(overrides)), JSON.stringify(overrides)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(h.stats.record(tenant, null as unknown as StatsSample)).rejects.toBeInstanceOf(InvalidArgumentError);
      const badRanges = [
        { fromMs: at(2), toMs: at(2) },
        { fromMs: at(2), toMs: at(1) },
        { fromMs: -5, toMs: at(1) },
        { fromMs: 1.5, toMs: at(1) },
        { fromMs: 0, toMs: Number.NaN },
        { fromMs: at(0), toMs: at(MAX_STATS_RANGE_HOURS) + 1 },
      ];
      for (const r of badRanges) await expect(h.stats.read(tenant, r), JSON.stringify(r)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect((await h.stats.read(tenant, { fromMs: at(0), toMs: at(MAX_STATS_RANGE_HOURS) })).executions.perHour).toHaveLength(MAX_STATS_RANGE_HOURS);
      expect(await h.rawDump()).toBe(before);
      expect((await h.stats.read(tenant, range)).tasks).toMatchObject([{ count: 1 }]);
    });
  });
}
