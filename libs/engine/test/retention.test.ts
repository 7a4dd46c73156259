import { ArchiveCorruptedError, decodeArchiveAsync, FolderArchiveBackend, type ArchiveBackend } from '@flunq/archive';
import { ExecutionStatus } from '@flunq/proto-types';
import { RawExecutionStore, RedisContentIndex, RedisExecutionIndex, RedisIoStore, RedisSnapshotStore, type RawExecution } from '@flunq/redis-store';
import { ExecutionBuilder } from '@flunq/redis-store/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { ArchiveFallbackStore } from '../src/maintenance/archive-fallback-store.js';
import { ExecutionArchiver } from '../src/maintenance/execution-archiver.js';
import { sweepRetention } from '../src/maintenance/retention-sweep.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);
const POLICY = { stateTtlMs: 7 * DAY, eventTtlMs: 30 * DAY };
const redis = new Redis(inject('redisUrl'));
const dirs: string[] = [];
afterAll(async () => {
  redis.disconnect();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A deployment under its own key prefix and archive folder, with `finished` executions ended at T0 and one still running. */
async function deployment(finished: number) {
  const keyPrefix = `retention-${randomUUID()}:`;
  const root = await mkdtemp(join(tmpdir(), 'flunq-archive-'));
  dirs.push(root);
  const store = new RedisIoStore({ redis, keyPrefix, stateTtlMs: 0, eventTtlMs: 0 });
  const executions = new RedisExecutionIndex({ redis, keyPrefix });
  const search = new RedisContentIndex({ redis, keyPrefix });
  const raw = new RawExecutionStore({ redis, keyPrefix });
  const snapshots = new RedisSnapshotStore({ redis, keyPrefix });
  const record = async (id: string, tenantId: string, end: boolean): Promise<void> => {
    const b = new ExecutionBuilder(id, undefined, { tenantId, startMs: T0 - 60_000 });
    const steps = [b.started({ user_id: id, note: 'ünï ✓'.repeat(50) }), b.taskCompleted('fetch', { id }, { rows: Array.from({ length: 20 }, (_, i) => ({ i, id })) }), ...(end ? [b.completed({ done: id })] : [])];
    for (const step of steps) await store.recordEvent(step);
    await snapshots.put(id, { sequence: 2, engine: b.serializer.toPayload({ engine: id }, { path: 'engine' }), state: b.state });
    const status = end ? ExecutionStatus.COMPLETED : ExecutionStatus.RUNNING;
    await executions.upsert({ executionId: id, tenantId, workflowId: 'wf', workflowVersion: '1', status, createdAtMs: T0 - 60_000, updatedAtMs: T0, completedAtMs: end ? T0 : 0, correlationId: '', replayOf: '' });
    await search.replace(tenantId, id, T0 - 60_000, { eq: [], num: [], str: [{ field: 'input.user_id', value: id }], has: ['input'] });
  };
  const ids = Array.from({ length: finished }, (_, i) => `done-${String(i).padStart(4, '0')}`);
  for (const [i, id] of ids.entries()) await record(id, i % 2 ? 'tenant-b' : 'tenant-a', true);
  await record('still-running', 'tenant-a', false);
  const backend = new FolderArchiveBackend({ root });
  const archiver = (b: ArchiveBackend = backend) => new ExecutionArchiver({ raw, backend: b, executions, search });
  const cacheRaw = new RawExecutionStore({ redis, keyPrefix: `${keyPrefix}archive-cache:` });
  const fallback = new ArchiveFallbackStore(store, archiver(), { raw: cacheRaw, store: new RedisIoStore({ redis, keyPrefix: `${keyPrefix}archive-cache:` }) });
  const tenantOf = (id: string): string => (ids.indexOf(id) % 2 ? 'tenant-b' : 'tenant-a');
  return { keyPrefix, root, store, executions, search, raw, backend, archiver, fallback, ids, tenantOf };
}

const archiveFiles = async (root: string): Promise<string[]> => (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.flunqarc')).sort();

describe('retention sweep on a real Redis with a folder archive', () => {
  test('nothing is due before the state TTL; then state leaves (archived, verified), events stay; then everything; running executions are never touched', async () => {
    const d = await deployment(6);
    const before = new Map<string, RawExecution>();
    const views = new Map<string, unknown>();
    for (const id of [...d.ids, 'still-running']) {
      before.set(id, (await d.raw.read(id))!);
      views.set(id, { state: await d.store.readState(id), events: await d.store.readEvents(id) });
    }
    const early = await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 7 * DAY - 1 });
    expect(early).toMatchObject({ tenants: 2, examined: 0, archived: 0, failures: [] });

    const first = await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 8 * DAY });
    expect(first).toMatchObject({ tenants: 2, examined: 6, archived: 6, reused: 0, changed: 0, gone: 0, failures: [] });
    expect(first.bytesWritten).toBeGreaterThan(0);
    expect(await archiveFiles(d.root)).toHaveLength(2); // one object per batch: here one per tenant
    for (const id of d.ids) {
      expect(await d.store.readState(id)).toBeUndefined();
      expect((await d.store.readEvents(id)).events).toHaveLength(3); // events stay for their own retention
      expect((await d.raw.tombstone(id))?.stage).toBe('state');
      expect((await d.search.search(d.tenantOf(id), { text: { field: 'input.user_id', value: id } })).ids).toEqual([]);
      // an archived run still opens: the same state and events as before
      expect({ state: await d.fallback.readState(id), events: await d.fallback.readEvents(id) }).toEqual(views.get(id));
    }
    expect(await d.raw.read('still-running')).toEqual(before.get('still-running'));

    // again at the same time: nothing to do (no archive written twice)
    const again = await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 8 * DAY });
    expect(again).toMatchObject({ examined: 0, archived: 0, bytesWritten: 0 });

    const last = await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 400 * DAY });
    expect(last).toMatchObject({ examined: 6, archived: 6, reused: 6, bytesWritten: 0, failures: [] });
    for (const id of d.ids) {
      expect(await d.raw.read(id)).toBeUndefined();
      expect((await d.raw.tombstone(id))?.stage).toBe('all');
      expect(await d.executions.get(d.tenantOf(id), id)).toBeUndefined();
      expect({ state: await d.fallback.readState(id), events: await d.fallback.readEvents(id) }).toEqual(views.get(id));
    }
    // running executions survive whatever their age
    expect(await d.raw.read('still-running')).toEqual(before.get('still-running'));
    expect((await d.executions.get('tenant-a', 'still-running'))?.status).toBe(ExecutionStatus.RUNNING);

    // restore gives back byte-equal keys
    for (const id of d.ids.slice(0, 2)) {
      expect(await d.archiver().restore(id)).toBe('restored');
      expect(await d.raw.read(id)).toEqual(before.get(id));
      expect(await d.store.readState(id)).toEqual((views.get(id) as { state: unknown }).state);
      expect(await d.archiver().restore(id)).toBe('exists');
    }
    expect(await d.archiver().restore('never-archived')).toBe('not-archived');
  });

  test('a corrupted archive is detected and reported: reads and restores fail with a typed error, the sweep counts a failure and removes nothing', async () => {
    const d = await deployment(2);
    await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 8 * DAY });
    const [file] = await archiveFiles(d.root);
    const path = join(d.root, file!);
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    await writeFile(path, bytes);
    const id = file!.split('/').at(-1)!.replace('.flunqarc', '');
    await expect(d.archiver().restore(id)).rejects.toBeInstanceOf(ArchiveCorruptedError);
    await expect(d.fallback.readState(id)).rejects.toBeInstanceOf(ArchiveCorruptedError);
    const eventsBefore = await d.store.readEvents(id);
    const report = await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 400 * DAY });
    expect(report.failures).toEqual([expect.objectContaining({ executionId: id, error: expect.stringMatching(/checksum|corrupt/i) })]);
    expect(report.archived).toBe(1);
    expect(await d.store.readEvents(id)).toEqual(eventsBefore); // nothing removed
  });

  test('search and listing entries left behind by a run that stopped right after removing the keys are dropped by the next run', async () => {
    const d = await deployment(2);
    const found = async (id: string): Promise<string[]> => (await d.search.search(d.tenantOf(id), { text: { field: 'input.user_id', value: id } })).ids;
    // a run that removes the keys and stops before the derived entries: no search, a listing that drops nothing
    const keepsListing: RedisExecutionIndex = Object.assign(Object.create(d.executions) as RedisExecutionIndex, { removeMany: async () => undefined });
    const stopped = new ExecutionArchiver({ raw: d.raw, backend: d.backend, executions: keepsListing });
    expect(await sweepRetention({ executions: d.executions, archiver: stopped }, POLICY, { now: T0 + 8 * DAY })).toMatchObject({ archived: 2, failures: [] });
    for (const id of d.ids) expect(await found(id)).toEqual([id]);
    const next = await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 8 * DAY });
    expect(next).toMatchObject({ examined: 0, archived: 0, failures: [] }); // done already: only the entries go
    for (const id of d.ids) expect(await found(id)).toEqual([]);

    expect(await sweepRetention({ executions: d.executions, archiver: stopped }, POLICY, { now: T0 + 400 * DAY })).toMatchObject({ archived: 2, failures: [] });
    for (const id of d.ids) expect(await d.executions.get(d.tenantOf(id), id)).toBeDefined();
    await sweepRetention({ executions: d.executions, archiver: d.archiver() }, POLICY, { now: T0 + 400 * DAY });
    for (const id of d.ids) expect(await d.executions.get(d.tenantOf(id), id)).toBeUndefined();
  });

  test('a sweep that stops midway and runs again loses nothing and writes no archive twice', async () => {
    const d = await deployment(40);
    const puts: string[] = [];
    // the "process" dies: 3 objects written, a 4th written but its executions not yet removed, then nothing
    const withPut = (put: ArchiveBackend['put']): ArchiveBackend => ({
      name: 'wrapped',
      put,
      get: (key) => d.backend.get(key),
      has: (key) => d.backend.has(key),
      list: (prefix, o) => d.backend.list(prefix, o),
      delete: (key) => d.backend.delete(key),
      close: async () => undefined,
    });
    const dying = withPut(async (key, bytes) => {
      if (puts.length >= 4) throw new Error('killed mid-sweep');
      puts.push(key);
      await d.backend.put(key, bytes);
      if (puts.length === 4) throw new Error('killed right after the write');
    });
    const broken = await sweepRetention({ executions: d.executions, archiver: d.archiver(dying) }, POLICY, { now: T0 + 8 * DAY, batchSize: 4, parallel: 1 });
    expect(broken.archived).toBe(12);
    expect(broken.failures).toHaveLength(28);
    const counting = withPut(async (key, bytes) => {
      puts.push(key);
      await d.backend.put(key, bytes);
    });
    const rerun = await sweepRetention({ executions: d.executions, archiver: d.archiver(counting) }, POLICY, { now: T0 + 8 * DAY, batchSize: 4, parallel: 1 });
    expect(rerun).toMatchObject({ failures: [], archived: 28, reused: 4 });
    expect(puts).toHaveLength(10); // 40 executions in objects of 4: each object written once
    expect(new Set(puts).size).toBe(10);
    // every execution is in exactly one object
    const members: string[] = [];
    for (const file of await archiveFiles(d.root)) {
      const archive = await decodeArchiveAsync(await readFile(join(d.root, file)));
      members.push(...new Set(archive.entries.map((e) => e.fields?.['execution'] ?? '')));
    }
    expect(members.sort()).toEqual([...d.ids].sort());
    for (const id of d.ids) expect((await d.raw.tombstone(id))?.stage).toBe('state');
  });
});
