import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { InvalidIdError } from '../errors/store-errors.js';
import { RedisIoStore } from '../redis/redis-io-store.js';
import { RedisSnapshotStore } from '../snapshots/redis-snapshot-store.js';
import { ExecutionBuilder } from '../testing/execution-builder.js';
import { purgeGuardOf, RawExecutionStore } from './raw-execution-store.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

async function recorded(keyPrefix: string, executionId: string): Promise<RedisIoStore> {
  const store = new RedisIoStore({ redis, keyPrefix });
  const b = new ExecutionBuilder(executionId);
  for (const step of [b.started({ user_id: 'u-1', blob: 'x'.repeat(5000) }), b.taskCompleted('fetch', { id: 1 }, { ok: true, bytes: Buffer.alloc(64, 7).toString('base64') }), b.completed({ done: 'ünï ✓' })]) await store.recordEvent(step);
  await new RedisSnapshotStore({ redis, keyPrefix }).put(executionId, { sequence: 2, engine: b.serializer.toPayload({ engine: 'state ✓', n: [0, 255, 1] }, { path: 'engine' }), state: b.state });
  return store;
}

/** Every key of the prefix with its type, value bytes (hex) and TTL presence, to compare before and after. */
async function dump(prefix: string): Promise<Record<string, unknown>> {
  const keys = (await redis.keys(`${prefix}*`)).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'string') out[key] = (await redis.getBuffer(key))!.toString('hex');
    else if (type === 'stream') out[key] = (await redis.xrangeBuffer(key, '-', '+')).map(([id, f]) => [id.toString(), f.map((b) => b.toString('hex'))]);
    else if (type === 'hash') out[key] = Object.fromEntries(Object.entries(await redis.hgetallBuffer(key)).map(([f, v]) => [f, v.toString('hex')]));
    else out[key] = type;
  }
  return out;
}

describe('RawExecutionStore on a real Redis', () => {
  test('read, purge and restore give back byte-equal keys that the IoStore reads as before', async () => {
    const keyPrefix = `raw-${randomUUID()}:`;
    const store = await recorded(keyPrefix, 'exec-1');
    const raw = new RawExecutionStore({ redis, keyPrefix });
    const before = await dump(keyPrefix);
    const stateBefore = await store.readState('exec-1');
    const eventsBefore = await store.readEvents('exec-1');

    const copy = (await raw.read('exec-1'))!;
    expect(copy.events).toHaveLength(3);
    expect(copy.snapshots.map(([f]) => f)).toEqual(['2']);
    expect(await raw.read('missing')).toBeUndefined();

    const tombstone = { tenantId: 'tenant-a', objectKey: 'tenant-a/exec-1.flunqarc', archivedAtMs: 5, stage: 'all' as const };
    expect(await raw.purge('exec-1', purgeGuardOf(copy), tombstone)).toBe(true);
    expect(Object.keys(await dump(keyPrefix))).toEqual([`${keyPrefix}workflow:archived:{exec-1}`]);
    expect(await raw.tombstone('exec-1')).toEqual(tombstone);
    expect(await store.readState('exec-1')).toBeUndefined();
    // a second purge (a rerun after a crash) finds nothing to remove and is fine
    expect(await raw.purge('exec-1', purgeGuardOf(copy), tombstone)).toBe(true);

    expect(await raw.restore(copy)).toBe('restored');
    const after = await dump(keyPrefix);
    delete after[`${keyPrefix}workflow:archived:{exec-1}`];
    expect(after).toEqual(before);
    expect(await store.readState('exec-1')).toEqual(stateBefore);
    expect(await store.readEvents('exec-1')).toEqual(eventsBefore);
    // restoring over existing keys writes nothing
    expect(await raw.restore(copy)).toBe('exists');
    await raw.close();
  });

  test('purge in stages: state first (events stay readable), then everything; a changed execution is not purged', async () => {
    const keyPrefix = `raw-${randomUUID()}:`;
    const store = await recorded(keyPrefix, 'exec-2');
    const raw = new RawExecutionStore({ redis, keyPrefix });
    const copy = (await raw.read('exec-2'))!;
    const tomb = (stage: 'state' | 'all') => ({ tenantId: 't', objectKey: 'k', archivedAtMs: 1, stage });
    // the stream moved on after the archive was taken: nothing is removed
    expect(await raw.purge('exec-2', { ...purgeGuardOf(copy), lastEventId: '2-0' }, tomb('state'))).toBe(false);
    expect(await raw.purge('exec-2', { ...purgeGuardOf(copy), stateSha1: 'f'.repeat(40) }, tomb('state'))).toBe(false);
    expect(await raw.tombstone('exec-2')).toBeUndefined();
    expect(await raw.purge('exec-2', purgeGuardOf(copy), tomb('state'))).toBe(true);
    expect(await store.readState('exec-2')).toBeUndefined();
    expect((await store.readEvents('exec-2')).events).toHaveLength(3);
    expect(await redis.exists(`${keyPrefix}workflow:snapshots:{exec-2}`)).toBe(0);
    // a restore now brings the state back beside the events left in Redis
    expect(await raw.restore(copy)).toBe('restored');
    expect(await raw.read('exec-2')).toEqual(copy);
    expect(await raw.purge('exec-2', purgeGuardOf(copy), tomb('state'))).toBe(true);
    expect(await raw.purge('exec-2', purgeGuardOf(copy), tomb('all'))).toBe(true);
    expect((await store.readEvents('exec-2')).events).toHaveLength(0);
    expect((await raw.tombstone('exec-2'))?.stage).toBe('all');
  });

  test('rewrite replaces state and stream if unchanged, keeping their TTLs; a changed execution is left alone', async () => {
    const keyPrefix = `raw-${randomUUID()}:`;
    await recorded(keyPrefix, 'exec-4');
    const raw = new RawExecutionStore({ redis, keyPrefix });
    const copy = (await raw.read('exec-4'))!;
    await redis.pexpire(`${keyPrefix}workflow:state:{exec-4}`, 90_000);
    await redis.pexpire(`${keyPrefix}events:workflow:{exec-4}`, 80_000);
    const events = [{ id: '1-0', fields: [Buffer.from('x'), Buffer.from([0, 1, 2])] }, { id: '2-0', fields: [Buffer.from('y'), Buffer.from('z')] }];
    expect(await raw.rewrite('exec-4', { ...purgeGuardOf(copy), lastEventId: '9-0' }, { state: new Uint8Array([1]), events })).toBe(false);
    expect(await raw.read('exec-4')).toEqual(copy);
    expect(await raw.rewrite('exec-4', purgeGuardOf(copy), { state: new Uint8Array([1, 2, 3]), events })).toBe(true);
    const after = (await raw.read('exec-4'))!;
    expect(Buffer.from(after.state!)).toEqual(Buffer.from([1, 2, 3]));
    expect(after.events.map((e) => [e.id, e.fields.map((f) => Buffer.from(f).toString('hex'))])).toEqual([['1-0', ['78', '000102']], ['2-0', ['79', '7a']]]);
    expect(await redis.pttl(`${keyPrefix}workflow:state:{exec-4}`)).toBeGreaterThan(80_000);
    expect(await redis.pttl(`${keyPrefix}events:workflow:{exec-4}`)).toBeGreaterThan(70_000);
    // only the state: the stream stays
    expect(await raw.rewrite('exec-4', purgeGuardOf(after), { state: new Uint8Array([4]) })).toBe(true);
    expect((await raw.read('exec-4'))!.events).toHaveLength(2);
  });

  test('claim-checked blobs are read, removed with the events and restored with them', async () => {
    const keyPrefix = `raw-${randomUUID()}:`;
    const store = new RedisIoStore({ redis, keyPrefix, claimCheckBytes: 4096 });
    const b = new ExecutionBuilder('exec-5');
    const big = { blob: randomBytes(6000).toString('base64') };
    for (const step of [b.started(big), b.taskCompleted('t', big, big), b.completed(big)]) await store.recordEvent(step);
    const raw = new RawExecutionStore({ redis, keyPrefix });
    const copy = (await raw.read('exec-5'))!;
    expect(copy.blobs).toHaveLength(1);
    const events = await store.readEvents('exec-5');
    const tomb = (stage: 'state' | 'all') => ({ tenantId: 't', objectKey: 'k', archivedAtMs: 1, stage });
    expect(await raw.purge('exec-5', purgeGuardOf(copy), tomb('state'))).toBe(true);
    expect(await store.readEvents('exec-5')).toEqual(events); // the events still read: their blobs stay
    expect(await raw.purge('exec-5', purgeGuardOf(copy), tomb('all'))).toBe(true);
    expect(await redis.exists(`${keyPrefix}workflow:blobs:{exec-5}`)).toBe(0);
    expect(await raw.restore(copy)).toBe('restored');
    expect(await raw.read('exec-5')).toEqual(copy);
    expect(await store.readEvents('exec-5')).toEqual(events);
  });

  test('a restore with a TTL expires every restored key; bad ids are refused before any I/O', async () => {
    const keyPrefix = `raw-${randomUUID()}:`;
    await recorded(keyPrefix, 'exec-3');
    const raw = new RawExecutionStore({ redis, keyPrefix });
    const copy = (await raw.read('exec-3'))!;
    await redis.del(`${keyPrefix}workflow:state:{exec-3}`, `${keyPrefix}events:workflow:{exec-3}`, `${keyPrefix}workflow:snapshots:{exec-3}`);
    expect(await raw.restore(copy, 60_000)).toBe('restored');
    for (const key of ['workflow:state', 'events:workflow', 'workflow:snapshots']) {
      const ttl = await redis.pttl(`${keyPrefix}${key}:{exec-3}`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    await expect(raw.read('a{b')).rejects.toBeInstanceOf(InvalidIdError);
    await expect(raw.purge('', purgeGuardOf(copy), { tenantId: 't', objectKey: 'k', archivedAtMs: 1, stage: 'all' })).rejects.toBeInstanceOf(InvalidIdError);
    await redis.set(`${keyPrefix}workflow:archived:{exec-9}`, 'not json');
    await expect(raw.tombstone('exec-9')).rejects.toThrow(/unreadable/);
  });
});
