import { RawExecutionStore, RedisIoStore } from '@flunq/redis-store';
import { ExecutionBuilder, putLegacyExecution, rawKeyDump, seedFixtureExecution, seedLikeExecution } from '@flunq/redis-store/testing';
import { createPayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { migrateLegacy, type LegacyMigrationReport } from '../src/maintenance/legacy-migration-job.js';
import { withAllTasks } from '../src/views/all-tasks.js';
import { toSeedEvent, toSeedState } from '../src/views/seed-view.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
const serializer = createPayloadSerializer();
const LEGACY = ['simple-test-workflow', ...Array.from({ length: 12 }, (_, i) => `seed-like-${i}`)];

async function deployment() {
  const keyPrefix = `legacy-job-${randomUUID()}:`;
  const store = new RedisIoStore({ redis, keyPrefix });
  await putLegacyExecution(redis, keyPrefix, seedFixtureExecution('simple-test-workflow'));
  for (const [i, id] of LEGACY.slice(1).entries()) await putLegacyExecution(redis, keyPrefix, seedLikeExecution(id, { tasks: 1 + (i % 4), blobBytes: 200 + 500 * i }));
  const b = new ExecutionBuilder('already-binary');
  for (const step of [b.started({ a: 1 }), b.taskCompleted('t', { a: 1 }, { b: 2 }), b.completed({ b: 2 })]) await store.recordEvent(step);
  return { keyPrefix, store, deps: { raw: new RawExecutionStore({ redis, keyPrefix }), redis, keyPrefix } };
}

/** The seed's JSON views of an execution, as the REST API shows them. */
async function seedViews(store: RedisIoStore, id: string) {
  const state = toSeedState(await withAllTasks(store, id, (await store.readState(id))!), serializer);
  const events = (await store.readEvents(id, { limit: 1000 })).events.map((e) => toSeedEvent(e.event, serializer));
  return { state, events };
}

const counts = ({ durationMs: _, dryRun: __, ...rest }: LegacyMigrationReport) => rest;

describe('the legacy migration job on a real Redis', () => {
  test("the seed's JSON views are the same before and after (but for version and sequence, now the positions)", async () => {
    const { store, deps } = await deployment();
    const before = new Map(await Promise.all(LEGACY.map(async (id) => [id, await seedViews(store, id)] as const)));
    const progress: LegacyMigrationReport[] = [];
    const report = await migrateLegacy(deps, { dryRun: false, concurrency: 4, progressEvery: 5, onProgress: (p) => void progress.push(p) });
    expect(report).toMatchObject({ scanned: 14, legacy: 13, migrated: 13, changedMeanwhile: 0, failures: [], dryRun: false });
    expect(report.bytesSaved).toBe(report.bytesBefore - report.bytesAfter);
    expect(report.bytesSaved).toBeGreaterThan(0);
    expect(progress.map((p) => p.legacy)).toEqual([5, 10]);
    for (const id of LEGACY) {
      const was = before.get(id)!;
      const now = await seedViews(store, id);
      expect(was.state.version).toBe(0);
      expect(now.state).toEqual({ ...was.state, version: was.events.length });
      expect(now.events).toEqual(was.events.map((e, i) => ({ ...e, sequence: i + 1 })));
    }
    expect(before.get('simple-test-workflow')!.state.completed_tasks[0]?.task_name).toBe('initialize');
    const again = await migrateLegacy(deps, { dryRun: false });
    expect(again).toMatchObject({ scanned: 14, legacy: 0, migrated: 0, bytesBefore: 0, failures: [] });
  });

  test('a dry run writes nothing and reports the same counts and bytes as the real run', async () => {
    const { keyPrefix, deps } = await deployment();
    const dump = await rawKeyDump(redis, keyPrefix);
    const dry = await migrateLegacy(deps, { dryRun: true, concurrency: 3 });
    expect(dry.dryRun).toBe(true);
    expect(await rawKeyDump(redis, keyPrefix)).toBe(dump);
    const real = await migrateLegacy(deps, { dryRun: false, concurrency: 3 });
    expect(counts(real)).toEqual(counts(dry));
    expect(await rawKeyDump(redis, keyPrefix)).not.toBe(dump);
  });

  test('an execution that cannot be migrated is reported and left as it was; the others are migrated', async () => {
    const { keyPrefix, deps, store } = await deployment();
    await redis.set(store.keys.state('broken'), '{"status": "EXPLODED"}');
    const report = await migrateLegacy(deps, { dryRun: false, concurrency: 2 });
    expect(report).toMatchObject({ legacy: 13, migrated: 13, failures: [{ executionId: 'broken', error: expect.stringContaining('CorruptedDataError') as unknown }] });
    expect(await redis.get(`${keyPrefix}workflow:state:{broken}`)).toBe('{"status": "EXPLODED"}');
  });
});

