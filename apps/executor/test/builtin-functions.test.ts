import { ExecutorFailure } from '@flunq/executor-kit';
import { describe, expect, test } from 'vitest';
import { echo, fail, sleep } from '../src/functions/builtin-functions.js';
import { contextFor } from './http-server.js';

const context = contextFor({ call: 'fn' });

describe('built-in functions', () => {
  test('echo returns its input', async () => {
    expect(await echo({ a: [1] }, context)).toEqual({ a: [1] });
  });

  test('fail raises the failure its input describes; runtime by default', () => {
    expect(() => fail({ type: 'communication', status: 503, detail: 'down', retryable: true, retryAfterMs: 100 }, context)).toThrow(
      expect.objectContaining({ typeName: 'communication', status: 503, detail: 'down', retryable: true, retryAfterMs: 100 }),
    );
    expect(() => fail(null, context)).toThrow(expect.objectContaining({ typeName: 'runtime', retryable: false }));
    expect(() => fail({ type: 'bogus' }, context)).toThrow(expect.objectContaining({ typeName: 'validation' }));
  });

  test('sleep waits, stops on abort, and refuses bad durations', async () => {
    expect(await sleep({ ms: 5 }, context)).toEqual({ sleptMs: 5 });
    const controller = new AbortController();
    const pending = Promise.resolve(sleep(10_000, contextFor({}, controller.signal)));
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow();
    await expect(Promise.resolve(sleep({ ms: -1 }, context))).rejects.toBeInstanceOf(ExecutorFailure);
  });
});
