import { CompressionCodec, type Payload } from '@flunq/proto-types';
import { decodeEventEnvelope, decompressPayload } from '@flunq/serializer';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { InvalidArgumentError } from '../errors/store-errors.js';
import { RedisIoStore } from '../redis/redis-io-store.js';
import { ExecutionBuilder, orderDocument } from '../testing/execution-builder.js';
import { planColdCompression } from './cold-compression-plan.js';
import { recompressExecution, resolveColdCompression } from './cold-compression.js';
import { RawExecutionStore, type RawExecution } from './raw-execution-store.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
const DAY = 86_400_000;


/** Every payload decoded (decompressed): what a reader gets, whatever the codec. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const record = value as Record<string, unknown>;
  if (record['$typeName'] === 'flunq.v1.Payload') {
    const { data, ...rest } = decompressPayload(record as unknown as Payload, { maxDecompressedBytes: 1 << 26 });
    return { ...rest, compression: 'decoded', data: Buffer.from(data).toString('base64') };
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
}

async function setup(sizes: readonly number[]) {
  const keyPrefix = `cold-${randomUUID()}:`;
  const store = new RedisIoStore({ redis, keyPrefix, stateTtlMs: 7 * DAY, eventTtlMs: 30 * DAY });
  const raw = new RawExecutionStore({ redis, keyPrefix });
  const record = async (id: string, finish: boolean): Promise<void> => {
    const b = new ExecutionBuilder(id);
    const steps = [b.started(orderDocument(sizes[0] ?? 1024, 1)), b.taskCompleted('tiny', { a: 1 }, { ok: true })];
    for (const [i, size] of sizes.entries()) steps.push(b.taskCompleted(`t${i}`, orderDocument(size, i + 2), orderDocument(size, i + 20)));
    b.state.variables = b.serializer.toPayload(orderDocument(8000, 99), { path: 'variables' }); // inline in the state
    if (finish) steps.push(b.completed(orderDocument(sizes.at(-1) ?? 1024, 77)));
    for (const step of steps) await store.recordEvent(step);
  };
  const view = async (id: string) => ({ state: plain(await store.readState(id)), events: plain((await store.readEvents(id, { limit: 1000 })).events) });
  const memory = async (id: string): Promise<number> => {
    let total = 0;
    for (const key of [store.keys.state(id), store.keys.events(id)]) total += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    return total;
  };
  return { store, raw, record, view, memory, keys: store.keys };
}

const hex = (raw: RawExecution | undefined) => raw && { state: Buffer.from(raw.state ?? []).toString('hex'), events: raw.events.map((e) => [e.id, ...e.fields.map((f) => Buffer.from(f).toString('hex'))]) };

describe('cold compression of one execution on a real Redis', () => {
  test('a finished execution shrinks in place: same values read back, unchanged entries byte-equal, TTLs kept, a second run finds nothing', async () => {
    const s = await setup([1024, 4000, 42_000, 1_000_000]);
    await s.record('done', true);
    const before = { view: await s.view('done'), raw: (await s.raw.read('done'))!, memory: await s.memory('done'), ttl: await redis.pttl(s.keys.events('done')) };

    const result = await recompressExecution(s.raw, 'done', { codec: 'zstd', level: 19 });
    expect(result).toMatchObject({ executionId: 'done', recompressed: true, legacyEntries: 0 });
    expect(result.payloads).toBeGreaterThanOrEqual(7);
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore * 0.8);
    expect(await s.view('done')).toEqual(before.view);
    expect(await s.memory('done')).toBeLessThan(before.memory);
    expect(await redis.pttl(s.keys.events('done'))).toBeGreaterThan(before.ttl - 60_000);
    expect(await redis.pttl(s.keys.state('done'))).toBeGreaterThan(6 * DAY);

    const after = (await s.raw.read('done'))!;
    expect(after.events.map((e) => e.id)).toEqual(before.raw.events.map((e) => e.id));
    // the small task's event has nothing worth recompressing: its bytes did not change
    expect(hex(after)!.events[1]).toEqual(hex(before.raw)!.events[1]);
    const codecs = after.events.map((e) => decodeEventEnvelope(e.fields[3]!)).flatMap((ev) => (ev.data.case === 'taskCompleted' ? [ev.data.value.outputData!.compression] : []));
    expect(codecs.slice(1)).toEqual([CompressionCodec.ZSTD, CompressionCodec.ZSTD, CompressionCodec.ZSTD, CompressionCodec.ZSTD]);

    const again = await recompressExecution(s.raw, 'done', { codec: 'zstd', level: 19 });
    expect(again).toMatchObject({ recompressed: false, payloads: 0, bytesBefore: result.bytesAfter, bytesAfter: result.bytesAfter });
    expect(hex(await s.raw.read('done'))).toEqual(hex(after));
  });

  test('brotli (the default) re-encodes the inline variables of the state too; a zstd-19 run after it gains nothing', async () => {
    const s = await setup([2000, 20_000]);
    await s.record('done', true);
    const view = await s.view('done');
    const stateBefore = (await s.raw.read('done'))!.state!;
    const result = await recompressExecution(s.raw, 'done');
    expect(result.recompressed).toBe(true);
    const stateAfter = (await s.raw.read('done'))!.state!;
    expect(stateAfter.length).toBeLessThan(stateBefore.length);
    expect((await s.store.readState('done', { hydrate: false }))!.variables!.compression).toBe(CompressionCodec.BROTLI);
    expect(await s.view('done')).toEqual(view);
    expect(await recompressExecution(s.raw, 'done')).toMatchObject({ recompressed: false, payloads: 0 });
    expect(await recompressExecution(s.raw, 'done', { codec: 'zstd', level: 19 })).toMatchObject({ recompressed: false, payloads: 0 });
  });

  test('running, legacy and missing executions are never written; legacy entries of a finished one are kept as they are', async () => {
    const s = await setup([4000]);
    await s.record('running', false);
    const running = hex(await s.raw.read('running'));
    expect(await recompressExecution(s.raw, 'running')).toMatchObject({ recompressed: false, skipped: 'not-finished', payloads: 0 });
    expect(hex(await s.raw.read('running'))).toEqual(running);

    const legacyState = readFileSync(new URL('../testing/fixtures/seed-legacy-state.json', import.meta.url));
    await redis.set(s.keys.state('legacy'), legacyState);
    await redis.xadd(s.keys.events('legacy'), '*', 'type', 'io.flunq.task.completed', 'data', JSON.stringify(orderDocument(5000, 3)));
    const legacy = hex(await s.raw.read('legacy'));
    expect(await recompressExecution(s.raw, 'legacy')).toMatchObject({ recompressed: false, skipped: 'legacy', legacyEntries: 1 });
    expect(hex(await s.raw.read('legacy'))).toEqual(legacy);
    expect(await recompressExecution(s.raw, 'nothing-here')).toMatchObject({ recompressed: false, skipped: 'missing', bytesBefore: 0 });

    await s.record('mixed', true);
    await redis.xadd(s.keys.events('mixed'), '*', 'type', 'io.flunq.note', 'data', JSON.stringify(orderDocument(5000, 4)));
    const mixed = (await s.raw.read('mixed'))!;
    const result = await recompressExecution(s.raw, 'mixed');
    expect(result).toMatchObject({ recompressed: true, legacyEntries: 1 });
    expect(hex(await s.raw.read('mixed'))!.events.at(-1)).toEqual(hex(mixed)!.events.at(-1));
  });

  test('a change between the read and the rewrite is detected and left alone', async () => {
    const s = await setup([4000, 42_000]);
    await s.record('done', true);
    const intruder = Buffer.from('written meanwhile');
    const racing = {
      read: async (id: string) => {
        const current = await s.raw.read(id);
        await redis.set(s.keys.state(id), intruder, 'KEEPTTL');
        return current;
      },
      rewrite: s.raw.rewrite.bind(s.raw),
    };
    const eventsBefore = hex(await s.raw.read('done'))!.events;
    const result = await recompressExecution(racing, 'done');
    expect(result).toMatchObject({ recompressed: false, changedMeanwhile: true, payloads: 0 });
    expect(result.bytesAfter).toBe(result.bytesBefore);
    expect(await redis.getBuffer(s.keys.state('done'))).toEqual(intruder);
    expect(hex(await s.raw.read('done'))!.events).toEqual(eventsBefore);
  });

  test('the plan is pure and options are checked', async () => {
    const s = await setup([42_000]);
    await s.record('done', true);
    const raw = (await s.raw.read('done'))!;
    const copy = hex(raw);
    const all = planColdCompression(raw, resolveColdCompression());
    const big = planColdCompression(raw, resolveColdCompression({ thresholdBytes: 5000 }));
    expect(all.payloads).toBeGreaterThan(big.payloads); // the variables (about 2 KB stored) are left out over 5000 B
    expect(big.payloads).toBeGreaterThanOrEqual(3);
    expect(all.state).toBeDefined();
    expect(big.state).toBeUndefined();
    expect(hex(raw)).toEqual(copy);
    const none = planColdCompression(raw, resolveColdCompression({ thresholdBytes: 1 << 30 }));
    expect([none.payloads, none.events, none.state, none.bytesAfter]).toEqual([0, undefined, undefined, none.bytesBefore]);
    expect(() => resolveColdCompression({ codec: 'lz4' as never })).toThrow(InvalidArgumentError);
    expect(() => resolveColdCompression({ level: -1 })).toThrow(InvalidArgumentError);
  });
});
