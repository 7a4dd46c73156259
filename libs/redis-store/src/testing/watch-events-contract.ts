import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPayloadSerializer } from '@flunq/serializer';
import { InvalidArgumentError, InvalidIdError } from '../errors/store-errors.js';
import type { IoStore, RecordEventInput, StoredEvent, WatchEventsOptions } from '../io-store.js';
import { ExecutionBuilder } from './execution-builder.js';

/** What the watch contract suite needs: a store (an `IoStoreHarness` will do). */
export interface WatchEventsHarness {
  readonly store: IoStore;
  close(): Promise<void>;
}

/** A running watch, collecting what it delivers. */
export interface CollectingWatch {
  readonly controller: AbortController;
  readonly seen: StoredEvent[];
  /** Settles when the iterator ended; rejects with what it threw. */
  readonly done: Promise<void>;
}

/** Starts `for await (const e of store.watchEvents(...))` in the background, as an SSE route would. */
export function collectWatch(store: IoStore, executionId: string, options: Omit<WatchEventsOptions, 'signal'> = {}): CollectingWatch {
  const controller = new AbortController();
  const seen: StoredEvent[] = [];
  const iterable = store.watchEvents(executionId, { ...options, signal: controller.signal });
  const done = (async () => {
    for await (const event of iterable) seen.push(event);
  })();
  done.catch(() => undefined);
  return { controller, seen, done };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds (at most `timeoutMs`). */
export async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

let counter = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${(counter += 1)}`;
const sequences = (events: StoredEvent[]): number[] => events.map((e) => Number(e.event.sequence));

async function recordAll(store: IoStore, steps: RecordEventInput[]): Promise<void> {
  for (const step of steps) expect((await store.recordEvent(step)).outcome).toBe('appended');
}

/**
 * The behaviour of `IoStore.watchEvents` every adapter must have (live events for SSE). The same
 * suite runs against memory, Redis and a Redis Cluster.
 */
export function describeWatchEventsContract(adapter: string, createHarness: () => Promise<WatchEventsHarness>): void {
  describe(`IoStore.watchEvents contract: ${adapter}`, () => {
    let h: WatchEventsHarness;
    const serializer = createPayloadSerializer();
    beforeAll(async () => {
      h = await createHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    test('delivers the events recorded before and after the watch started, in order, each exactly once', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer, { tenantId: 'tenant-w', workflowId: 'watched' });
      await recordAll(h.store, [builder.started({ n: 0 }), builder.taskCompleted('a', { i: 1 }, { o: 1 })]);
      const watch = collectWatch(h.store, builder.executionId);
      await eventually(() => watch.seen.length === 2);
      await recordAll(h.store, [builder.taskCompleted('b', { i: 2 }, { o: 2 })]);
      await eventually(() => watch.seen.length === 3);
      // a burst, recorded while the watcher is busy or blocked
      const burst: RecordEventInput[] = [];
      for (let i = 0; i < 20; i++) burst.push(builder.taskCompleted(`t${i}`, { i }, { o: i }));
      burst.push(builder.completed({ done: true }));
      await recordAll(h.store, burst);
      await eventually(() => watch.seen.length >= 24);
      await sleep(150);
      expect(sequences(watch.seen)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      const { events } = await h.store.readEvents(builder.executionId);
      expect(watch.seen).toEqual(events); // same cursors, same decoded events (attributes filled in)
      expect(watch.seen.every((e) => e.event.tenantId === 'tenant-w' && e.event.workflowId === 'watched')).toBe(true);
      expect(watch.seen.at(-1)?.event.type).toBe('io.flunq.execution.completed');
      watch.controller.abort();
      await watch.done;
    });

    test('resumes after a cursor (e.g. SSE Last-Event-ID) without repeating anything', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer, { tenantId: 'tenant-r' });
      await recordAll(h.store, [builder.started({}), builder.taskCompleted('a', 1, 1), builder.taskCompleted('b', 2, 2)]);
      const { events } = await h.store.readEvents(builder.executionId);
      const watch = collectWatch(h.store, builder.executionId, { after: events[1]!.cursor });
      await eventually(() => watch.seen.length === 1);
      await recordAll(h.store, [builder.taskCompleted('c', 3, 3)]);
      await eventually(() => watch.seen.length === 2);
      await sleep(100);
      expect(sequences(watch.seen)).toEqual([3, 4]);
      expect(watch.seen.map((e) => e.event.tenantId)).toEqual(['tenant-r', 'tenant-r']);
      const caughtUp = collectWatch(h.store, builder.executionId, { after: watch.seen[1]!.cursor });
      await sleep(150);
      expect(caughtUp.seen).toEqual([]);
      for (const w of [watch, caughtUp]) w.controller.abort();
      await Promise.all([watch.done, caughtUp.done]);
    });

    test('abort ends a blocked watch within 1 s, without throwing', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      await recordAll(h.store, [builder.started({})]);
      const watch = collectWatch(h.store, builder.executionId); // default blockMs: 5000
      await eventually(() => watch.seen.length === 1);
      await sleep(300); // now waiting for the next event
      const started = Date.now();
      watch.controller.abort();
      await watch.done;
      expect(Date.now() - started).toBeLessThan(1000);
      // nothing is delivered after the abort
      await recordAll(h.store, [builder.taskCompleted('late', 1, 1)]);
      await sleep(50);
      expect(watch.seen).toHaveLength(1);
    });

    test('a missing execution yields nothing until its first event', async () => {
      const builder = new ExecutionBuilder(uniqueId('never-yet'), serializer);
      const watch = collectWatch(h.store, builder.executionId, { blockMs: 100 });
      await sleep(350); // several empty blocking reads
      expect(watch.seen).toEqual([]);
      await recordAll(h.store, [builder.started({ hello: 'world' }), builder.taskCompleted('a', 1, 1)]);
      await eventually(() => watch.seen.length === 2);
      expect(sequences(watch.seen)).toEqual([1, 2]);
      expect(watch.seen[0]?.event.type).toBe('io.flunq.execution.started');
      watch.controller.abort();
      await watch.done;
    });

    test('several watchers of one execution each get every event; leaving the loop early ends a watch', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      const watches = Array.from({ length: 4 }, () => collectWatch(h.store, builder.executionId));
      const controller = new AbortController();
      const firstTwo: number[] = [];
      const early = (async () => {
        for await (const e of h.store.watchEvents(builder.executionId, { signal: controller.signal })) {
          firstTwo.push(Number(e.event.sequence));
          if (firstTwo.length === 2) break;
        }
      })();
      await recordAll(h.store, [builder.started({}), builder.taskCompleted('a', 1, 1), builder.taskCompleted('b', 2, 2)]);
      await early;
      expect(firstTwo).toEqual([1, 2]);
      await eventually(() => watches.every((w) => w.seen.length === 3));
      for (const w of watches) expect(sequences(w.seen)).toEqual([1, 2, 3]);
      for (const w of watches) w.controller.abort();
      await Promise.all(watches.map((w) => w.done));
    });

    test('an already aborted signal yields nothing; bad arguments are typed errors', async () => {
      const builder = new ExecutionBuilder(uniqueId('exec'), serializer);
      await recordAll(h.store, [builder.started({})]);
      const aborted = collectWatch(h.store, builder.executionId);
      aborted.controller.abort();
      await aborted.done;
      const signal = AbortSignal.abort();
      const none: StoredEvent[] = [];
      for await (const e of h.store.watchEvents(builder.executionId, { signal })) none.push(e);
      expect(none).toEqual([]);
      const live = new AbortController().signal;
      for (const bad of ['a:b', 'a{b}', '', 'x'.repeat(300)]) expect(() => h.store.watchEvents(bad, { signal: live })).toThrow(InvalidIdError);
      for (const after of ['', 'abc', '1-2-3', '1-x']) expect(() => h.store.watchEvents(builder.executionId, { signal: live, after })).toThrow(InvalidArgumentError);
      for (const blockMs of [0, -1, 1.5, 60_001]) expect(() => h.store.watchEvents(builder.executionId, { signal: live, blockMs })).toThrow(InvalidArgumentError);
      expect(() => h.store.watchEvents(builder.executionId, {} as WatchEventsOptions)).toThrow(InvalidArgumentError);
    });
  });
}
