import { create } from '@bufbuild/protobuf';
import { ExecutionStatus, WorkflowEventSchema } from '@flunq/proto-types';
import { createPayloadSerializer } from '@flunq/serializer';
import { Cluster, Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { InvalidIdError, InvalidRecordError } from '../errors/store-errors.js';
import { RedisIoStore } from '../redis/redis-io-store.js';
import { ExecutionBuilder } from '../testing/execution-builder.js';
import { startRedisCluster } from '../testing/redis-cluster.js';
import { putLegacyExecution, rawKeyDump, seedFixtureExecution, seedLikeExecution } from '../testing/legacy-executions.js';
import { migrateExecution } from './legacy-migration.js';
import { findLegacyExecutions } from './legacy-scan.js';
import { RawExecutionStore, type RawExecution } from './raw-execution-store.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
const serializer = createPayloadSerializer();

async function setup() {
  const keyPrefix = `legacy-${randomUUID()}:`;
  const store = new RedisIoStore({ redis, keyPrefix });
  const raw = new RawExecutionStore({ redis, keyPrefix });
  // the fixture's state says id "simple-test-workflow": the seed keyed its state by that id
  await putLegacyExecution(redis, keyPrefix, seedFixtureExecution('simple-test-workflow'));
  await putLegacyExecution(redis, keyPrefix, seedLikeExecution('seed-like-1', { tasks: 5, blobBytes: 4000 }));
  return { keyPrefix, store, raw };
}

const found = async (keyPrefix: string): Promise<string[]> => {
  const ids: string[] = [];
  for await (const id of findLegacyExecutions(redis, keyPrefix)) ids.push(id);
  return ids.sort();
};

/** What readers see: the hydrated state and every event with its cursor. */
async function view(store: RedisIoStore, id: string) {
  return { state: (await store.readState(id))!, events: (await store.readEvents(id, { limit: 1000 })).events };
}

describe('legacy migration on a real Redis', () => {
  test('the seed fixtures and a multi-task execution become binary; readers see the same state and events', async () => {
    const { keyPrefix, store, raw } = await setup();
    const ids = ['seed-like-1', 'simple-test-workflow'];
    expect(await found(keyPrefix)).toEqual(ids);
    for (const id of ids) {
      const before = await view(store, id);
      const report = await migrateExecution(raw, id, { dryRun: false });
      expect(report).toMatchObject({ executionId: id, legacy: true, migrated: true });
      expect(report.bytesAfter).toBeGreaterThan(0);
      const after = await view(store, id);
      const stored = (await raw.read(id))!;
      expect([...stored.state!.subarray(0, 2)]).toEqual([0xfa, 0x51]);
      expect(stored.events.map((e) => [e.id, Buffer.from(e.fields[0]!).toString(), Buffer.from(e.fields[2]!).toString(), e.fields.length])).toEqual(
        before.events.map((_, i) => [`${i + 1}-0`, 'i', 'e', 4]),
      );
      // only what the binary format derives from the position differs: version, sequence, cursor
      expect(before.state.version).toBe(0n);
      expect(after.state).toEqual({ ...before.state, version: BigInt(before.events.length) });
      expect(after.events.map((e) => e.cursor)).toEqual(before.events.map((_, i) => `${i + 1}-0`));
      expect(after.events.map((e) => e.event)).toEqual(before.events.map((e, i) => ({ ...e.event, sequence: BigInt(i + 1) })));
    }
    // the 4 KB input is kept byte for byte (recordEvent stores payloads as given: no compression here)
    const big = (await store.readState('seed-like-1'))!.input!;
    expect(big.data.length).toBeGreaterThan(4000);
    expect((serializer.fromPayload(big) as { user_id: string }).user_id).toBe('user-seed-like-1');
    expect(await found(keyPrefix)).toEqual([]);
    expect(await migrateExecution(raw, 'seed-like-1', { dryRun: false })).toMatchObject({ legacy: false, migrated: false });
  });

  test('after migration the engine records the next step at expectedVersion = number of events', async () => {
    const { store, raw } = await setup();
    for (const id of ['seed-like-1', 'simple-test-workflow']) {
      const legacyState = (await store.readState(id, { hydrate: false }))!;
      const event = create(WorkflowEventSchema, { id: `${id}-next`, type: 'io.flunq.execution.cancelled', data: { case: 'executionCancelled', value: { reason: 'after migration' } } });
      await expect(store.recordEvent({ event, state: { ...legacyState, version: 1n }, expectedVersion: 0 })).rejects.toMatchObject({ code: 'LEGACY_RECORD' });
      await migrateExecution(raw, id, { dryRun: false });
      const state = (await store.readState(id, { hydrate: false }))!;
      const n = Number(state.version);
      const next = { ...state, version: BigInt(n + 1), status: ExecutionStatus.CANCELLED };
      expect(await store.recordEvent({ event, state: next, expectedVersion: n })).toEqual({ outcome: 'appended', sequence: n + 1 });
      const { events } = await store.readEvents(id, { limit: 1000 });
      expect(events.at(-1)).toMatchObject({ cursor: `${n + 1}-0`, event: { id: `${id}-next`, tenantId: events[0]!.event.tenantId } });
    }
  });

  test('a dry run writes nothing and reports what the real run does', async () => {
    const { keyPrefix, raw } = await setup();
    const before = await rawKeyDump(redis, keyPrefix);
    const dry = await migrateExecution(raw, 'seed-like-1', { dryRun: true });
    expect(await rawKeyDump(redis, keyPrefix)).toBe(before);
    expect(await migrateExecution(raw, 'seed-like-1', { dryRun: false })).toEqual(dry);
    expect(dry.bytesAfter).toBeLessThan(dry.bytesBefore);
  });

  test('an execution changed between read and rewrite is left alone and reported', async () => {
    const { keyPrefix, raw, store } = await setup();
    class Racing extends RawExecutionStore {
      override async read(executionId: string): Promise<RawExecution | undefined> {
        const read = await super.read(executionId);
        await redis.xadd(store.keys.events(executionId), '*', 'id', 'late', 'type', 'io.flunq.task.started', 'data', '{"task_name":"late"}');
        return read;
      }
    }
    const racing = new Racing({ redis, keyPrefix });
    const report = await migrateExecution(racing, 'seed-like-1', { dryRun: false });
    expect(report).toMatchObject({ legacy: true, migrated: false, changedMeanwhile: true });
    const after = (await raw.read('seed-like-1'))!;
    expect(after.state![0]).toBe(0x7b);
    expect(after.events.at(-1)!.id).not.toMatch(/^\d{1,3}-0$/);
    // the next run migrates it, late entry included
    expect(await migrateExecution(raw, 'seed-like-1', { dryRun: false })).toMatchObject({ migrated: true });
    expect((await store.readEvents('seed-like-1', { limit: 1000 })).events.at(-1)!.event.id).toBe('late');
  });

  test('binary executions are skipped; bad ids are typed errors; unrepresentable or stream-only legacy data', async () => {
    const { keyPrefix, raw, store } = await setup();
    const b = new ExecutionBuilder('binary-1');
    for (const step of [b.started({ a: 1 }), b.completed({ b: 2 })]) await store.recordEvent(step);
    const binaryBefore = await raw.read('binary-1');
    expect(await migrateExecution(raw, 'binary-1', { dryRun: false })).toMatchObject({ legacy: false, migrated: false });
    expect(await raw.read('binary-1')).toEqual(binaryBefore);
    expect(await migrateExecution(raw, 'nothing-here', { dryRun: false })).toMatchObject({ legacy: false, migrated: false, bytesBefore: 0 });
    await expect(migrateExecution(raw, 'a{b', { dryRun: false })).rejects.toBeInstanceOf(InvalidIdError);
    await expect(migrateExecution(raw, '', { dryRun: true })).rejects.toBeInstanceOf(InvalidIdError);

    // a later event of another tenant would read back with the first one's: refused, nothing written
    const mixed = seedLikeExecution('mixed-1', { tasks: 1 });
    await putLegacyExecution(redis, keyPrefix, { ...mixed, entries: [mixed.entries[0]!, { ...mixed.entries[1]!, tenantid: 'tenant-z' }] });
    const dump = await rawKeyDump(redis, keyPrefix);
    await expect(migrateExecution(raw, 'mixed-1', { dryRun: false })).rejects.toBeInstanceOf(InvalidRecordError);
    expect(await rawKeyDump(redis, keyPrefix)).toBe(dump);

    // retention removed the state: the stream alone is migrated (the scan does not find it)
    await putLegacyExecution(redis, keyPrefix, { ...seedLikeExecution('stream-only'), state: undefined });
    const before = (await store.readEvents('stream-only', { limit: 1000 })).events;
    expect(await found(keyPrefix)).not.toContain('stream-only');
    expect(await migrateExecution(raw, 'stream-only', { dryRun: false })).toMatchObject({ legacy: true, migrated: true });
    expect(await store.readState('stream-only')).toBeUndefined();
    expect((await store.readEvents('stream-only', { limit: 1000 })).events.map((e) => e.event)).toEqual(before.map((e, i) => ({ ...e.event, sequence: BigInt(i + 1) })));
  });

  test('on a Redis Cluster the scan visits every master and each rewrite stays in its slot', async () => {
    const handle = await startRedisCluster(3);
    const cluster = new Cluster(handle.nodes);
    try {
      const keyPrefix = 'legacy-cluster:';
      const ids = Array.from({ length: 12 }, (_, i) => `cl-${i}`);
      for (const id of ids) await putLegacyExecution(cluster, keyPrefix, seedLikeExecution(id, { tasks: 2 }));
      // JSON may open with whitespace: still legacy
      await cluster.set(`${keyPrefix}workflow:state:{padded}`, `\n ${seedLikeExecution('padded').state!}`);
      const raw = new RawExecutionStore({ redis: cluster, keyPrefix });
      const store = new RedisIoStore({ redis: cluster, keyPrefix });
      const masters = await Promise.all(cluster.nodes('master').map(async (node) => (await node.dbsize()) > 0));
      expect(masters.filter(Boolean).length).toBeGreaterThan(1);
      let scanned = 0;
      const legacy: string[] = [];
      for await (const id of findLegacyExecutions(cluster, keyPrefix, { count: 5, onScanned: (n) => (scanned += n) })) legacy.push(id);
      expect(legacy.sort()).toEqual([...ids, 'padded'].sort());
      expect(scanned).toBe(13);
      for (const id of legacy) expect(await migrateExecution(raw, id, { dryRun: false })).toMatchObject({ migrated: true });
      const none: string[] = [];
      for await (const id of findLegacyExecutions(cluster, keyPrefix)) none.push(id);
      expect(none).toEqual([]);
      // a state without events: binary at version 0 (an empty stream), the same state otherwise
      expect((await raw.read('padded'))!.state![0]).toBe(0xfa);
      expect((await store.readState('padded'))?.completedTasks).toHaveLength(4);
      expect((await store.readState('cl-0'))?.version).toBe(6n);
    } finally {
      cluster.disconnect();
      await handle.stop();
    }
  });
});
