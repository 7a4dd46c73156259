import { afterEach, describe, expect, test, vi } from 'vitest';
import { DeferredIndexer } from './deferred-indexer.js';

describe('DeferredIndexer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('many requests within the delay run once per execution, after the delay', async () => {
    vi.useFakeTimers();
    const runs: string[] = [];
    const deferred = new DeferredIndexer(250, (id) => Promise.resolve(void runs.push(id)));
    for (let i = 0; i < 5; i++) deferred.later('a');
    deferred.later('b');
    expect(deferred.size).toBe(2);
    await vi.advanceTimersByTimeAsync(249);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.sort()).toEqual(['a', 'b']);
    deferred.later('a');
    await vi.advanceTimersByTimeAsync(250);
    expect(runs.filter((r) => r === 'a')).toHaveLength(2);
  });

  test('cancel drops a pending update; a failure is reported, not thrown', async () => {
    vi.useFakeTimers();
    const errors: [unknown, string][] = [];
    const runs: string[] = [];
    const deferred = new DeferredIndexer(
      10,
      (id) => (id === 'bad' ? Promise.reject(new Error('redis down')) : Promise.resolve(void runs.push(id))),
      (error, id) => errors.push([error, id]),
    );
    deferred.later('a');
    deferred.cancel('a');
    deferred.later('bad');
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toEqual([]);
    expect(errors).toEqual([[new Error('redis down'), 'bad']]);
    expect(deferred.size).toBe(0);
  });
});
