import { ExecutionStatus } from '@flunq/proto-types';
import { RawExecutionStore, RedisExecutionIndex, RedisIoStore, type RawExecution } from '@flunq/redis-store';
import { ExecutionBuilder, orderDocument } from '@flunq/redis-store/testing';
import { createPayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { recompressFinished } from '../src/maintenance/cold-compression-job.js';
import { withAllTasks } from '../src/views/all-tasks.js';
import { toSeedEvent, toSeedState } from '../src/views/seed-view.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);
const redis = new Redis(inject('redisUrl'));
const serializer = createPayloadSerializer();
afterAll(() => redis.disconnect());


/** A deployment under its own key prefix: finished executions of 1 KiB .. `maxBytes` payloads ended at T0, plus odd ones. */
async function deployment(sizes: readonly number[]) {
  const keyPrefix = `cold-job-${randomUUID()}:`;
  const store = new RedisIoStore({ redis, keyPrefix, stateTtlMs: 7 * DAY, eventTtlMs: 30 * DAY });
  const executions = new RedisExecutionIndex({ redis, keyPrefix });
  const raw = new RawExecutionStore({ redis, keyPrefix });
  const record = async (id: string, tenantId: string, size: number, options: { end: boolean; endMs?: number; listed?: ExecutionStatus }): Promise<void> => {
    const endMs = options.endMs ?? T0;
    const b = new ExecutionBuilder(id, serializer, { tenantId, startMs: endMs - 3000 });
    const steps = [b.started(orderDocument(size, 1)), b.taskCompleted('fetch', orderDocument(size, 2), orderDocument(size, 3)), b.taskCompleted('small', { a: 1 }, { ok: true })];
    if (options.end) steps.push(b.completed(orderDocument(size, 4)));
    for (const step of steps) await store.recordEvent(step);
    const status = options.listed ?? (options.end ? ExecutionStatus.COMPLETED : ExecutionStatus.RUNNING);
    await executions.upsert({ executionId: id, tenantId, workflowId: 'wf', workflowVersion: '1', status, createdAtMs: endMs - 3000, updatedAtMs: endMs, completedAtMs: options.end ? endMs : 0, correlationId: '', replayOf: '' });
  };
  const ids = sizes.map((size, i) => `done-${i}-${size}`);
  for (const [i, id] of ids.entries()) await record(id, i % 2 ? 'tenant-b' : 'tenant-a', sizes[i]!, { end: true });
  await record('running', 'tenant-a', 42_000, { end: false });
  await record('listed-done-still-running', 'tenant-b', 42_000, { end: false, listed: ExecutionStatus.COMPLETED }); // the listing lags
  await record('ended-just-now', 'tenant-a', 42_000, { end: true, endMs: T0 + DAY - 1000 });
  const seedViews = async (id: string) => {
    const state = (await store.readState(id, { hydrate: false }))!;
    const { events } = await store.readEvents(id, { limit: 1000 });
    return { state: toSeedState(await withAllTasks(store, id, state), serializer), events: events.map((e) => toSeedEvent(e.event, serializer)) };
  };
  const memory = async (id: string): Promise<number> => {
    let total = 0;
    for (const key of [store.keys.state(id), store.keys.events(id)]) total += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    return total;
  };
  return { store, executions, raw, ids, seedViews, memory, keys: store.keys };
}

const bytesOf = (raw: RawExecution | undefined): string => JSON.stringify(raw && [Buffer.from(raw.state ?? []).toString('hex'), raw.events.map((e) => [e.id, e.fields.map((f) => Buffer.from(f).toString('hex'))])]);

describe('cold compression job on a real Redis', () => {
  test('finished executions old enough shrink and read back the same; the others are untouched; a second run saves nothing', async () => {
    const d = await deployment([1024, 8000, 42_000, 200_000, 1_000_000]);
    const untouched = ['running', 'listed-done-still-running', 'ended-just-now'];
    const before = new Map<string, { views: unknown; memory: number; raw: string; ttl: number }>();
    for (const id of [...d.ids, ...untouched]) {
      before.set(id, { views: await d.seedViews(id), memory: await d.memory(id), raw: bytesOf(await d.raw.read(id)), ttl: await redis.pttl(d.keys.events(id)) });
    }
    const progress: number[] = [];
    const first = await recompressFinished({ raw: d.raw, executions: d.executions }, { now: T0 + DAY, olderThanMs: DAY / 2, onProgress: (r) => void progress.push(r.examined) });
    // the 1 KiB one is examined but holds nothing stored over 1 KiB; the lagging listing's one is skipped
    expect(first).toMatchObject({ examined: 6, recompressed: 4, changedMeanwhile: 0, skipped: 1, legacyEntries: 0, failures: [] });
    expect(first.payloads).toBeGreaterThanOrEqual(4 * 4);
    expect(first.bytesSaved).toBe(first.bytesBefore - first.bytesAfter);
    expect(first.bytesAfter).toBeLessThan(first.bytesBefore * 0.9);
    expect(progress.at(-1)).toBe(6);

    for (const id of d.ids) {
      const was = before.get(id)!;
      expect(await d.seedViews(id)).toEqual(was.views);
      if (id !== d.ids[0]) expect(await d.memory(id)).toBeLessThan(was.memory);
      expect(await redis.pttl(d.keys.events(id))).toBeGreaterThan(was.ttl - 60_000);
      expect(await redis.pttl(d.keys.state(id))).toBeGreaterThan(6 * DAY);
    }
    expect(bytesOf(await d.raw.read(d.ids[0]!))).toBe(before.get(d.ids[0]!)!.raw);
    for (const id of untouched) expect(bytesOf(await d.raw.read(id))).toBe(before.get(id)!.raw);

    const rawAfter = await Promise.all(d.ids.map(async (id) => bytesOf(await d.raw.read(id))));
    const second = await recompressFinished({ raw: d.raw, executions: d.executions }, { now: T0 + DAY, olderThanMs: DAY / 2 });
    expect(second).toMatchObject({ examined: 6, recompressed: 0, payloads: 0, bytesSaved: 0, failures: [] });
    expect(await Promise.all(d.ids.map(async (id) => bytesOf(await d.raw.read(id))))).toEqual(rawAfter);
  }, 120_000);

  test('zstd 19 as the cold codec; bad options fail before any I/O; failures are reported, not thrown', async () => {
    const d = await deployment([42_000]);
    const report = await recompressFinished({ raw: d.raw, executions: d.executions }, { now: T0 + DAY, olderThanMs: DAY / 2, codec: 'zstd', level: 19, concurrency: 2 });
    expect(report).toMatchObject({ examined: 2, recompressed: 1, failures: [] });
    expect(report.bytesSaved).toBeGreaterThan(0);
    await expect(recompressFinished({ raw: d.raw, executions: d.executions }, { codec: 'lz4' as never })).rejects.toThrow(/codec/);

    await redis.set(d.keys.state(d.ids[0]!), Buffer.from([0xfa, 0x51, 0x01, 0x01, 0, 0, 0, 9, 0xff, 0xff]), 'KEEPTTL');
    const broken = await recompressFinished({ raw: d.raw, executions: d.executions }, { now: T0 + DAY, olderThanMs: DAY / 2 });
    expect(broken.failures.map((f) => f.executionId)).toEqual([d.ids[0]]);
  });
});
