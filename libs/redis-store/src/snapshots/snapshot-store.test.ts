import { create } from '@bufbuild/protobuf';
import { ExecutionStatus, WorkflowStateSchema } from '@flunq/proto-types';
import { CorruptedDataError, createPayloadSerializer } from '@flunq/serializer';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import { RedisSnapshotStore, snapshotsKey } from './redis-snapshot-store.js';
import { decodeSnapshot, type SnapshotStore } from './snapshot-store.js';

const serializer = createPayloadSerializer();
const snapshot = (sequence: number) => ({
  sequence,
  engine: serializer.toPayload({ status: 'running', position: `/do/${sequence}/x`, data: { n: sequence } }),
  state: create(WorkflowStateSchema, { id: 'ex-1', tenantId: 't', status: ExecutionStatus.RUNNING, version: BigInt(sequence) }),
});

const redis = new Redis(inject('redisUrl'));
const prefix = `snap-${randomUUID()}:`;
afterAll(() => redis.disconnect());

describe.each([
  ['memory', (): SnapshotStore => new MemorySnapshotStore()],
  ['a real Redis', (): SnapshotStore => new RedisSnapshotStore({ redis, keyPrefix: prefix })],
])('snapshots on %s', (_name, make) => {
  test('find gives the latest snapshot at or before the asked event, intact', async () => {
    const store = make();
    const id = `ex-${randomUUID()}`;
    expect(await store.find(id, 500)).toBeUndefined();
    for (const sequence of [100, 200, 300]) await store.put(id, snapshot(sequence));
    expect(await store.find(id, 99)).toBeUndefined();
    const found = await store.find(id, 299);
    expect(found?.sequence).toBe(200);
    expect(serializer.fromPayload(found!.engine)).toEqual({ status: 'running', position: '/do/200/x', data: { n: 200 } });
    expect(found?.state).toMatchObject({ id: 'ex-1', tenantId: 't', version: 200n });
    expect((await store.find(id, 10_000))?.sequence).toBe(300);
  });

  test('ids that cannot be keys are refused', async () => {
    await expect(make().put('bad id', snapshot(1))).rejects.toMatchObject({ code: 'INVALID_ID' });
  });
});

test('on Redis, expire gives the snapshots a TTL; a damaged snapshot is a typed error', async () => {
  const store = new RedisSnapshotStore({ redis, keyPrefix: prefix });
  const id = `ex-${randomUUID()}`;
  await store.put(id, snapshot(100));
  await store.expire(id, 60_000);
  const ttl = await redis.pttl(snapshotsKey(prefix, id));
  expect(ttl).toBeGreaterThan(50_000);
  expect(() => decodeSnapshot(1, new Uint8Array([0, 0, 9, 9, 1]))).toThrow(CorruptedDataError);
});
