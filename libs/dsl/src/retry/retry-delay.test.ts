import { describe, expect, test } from 'vitest';
import { nextRetryDelay, type RetryPolicy } from './retry-delay.js';

const never = (): number => 0;
const delays = (policy: RetryPolicy, attempts: number, random = never): (number | undefined)[] =>
  Array.from({ length: attempts }, (_, i) => nextRetryDelay(policy, { attempt: i + 1, elapsedMs: 0 }, random));

describe('retry delays', () => {
  test('constant, linear and exponential backoff', () => {
    const delay = { seconds: 1 };
    expect(delays({ delay, backoff: { constant: {} } }, 4)).toEqual([1000, 1000, 1000, 1000]);
    expect(delays({ delay, backoff: { linear: {} } }, 4)).toEqual([1000, 2000, 3000, 4000]);
    expect(delays({ delay: 'PT0.5S', backoff: { exponential: {} } }, 4)).toEqual([500, 1000, 2000, 4000]);
    expect(delays({ delay }, 2)).toEqual([1000, 1000]);
  });

  test('attempt count limits include the first attempt', () => {
    expect(delays({ delay: { seconds: 1 }, limit: { attempt: { count: 3 } } }, 4)).toEqual([1000, 1000, undefined, undefined]);
  });

  test('a total duration limit stops retries that would start past it', () => {
    const policy: RetryPolicy = { delay: { seconds: 10 }, limit: { duration: { seconds: 25 } } };
    expect(nextRetryDelay(policy, { attempt: 1, elapsedMs: 10_000 }, never)).toBe(10_000);
    expect(nextRetryDelay(policy, { attempt: 2, elapsedMs: 20_000 }, never)).toBeUndefined();
  });

  test('jitter adds a uniform amount drawn from the injected source', () => {
    const policy: RetryPolicy = { delay: { seconds: 1 }, jitter: { from: { milliseconds: 100 }, to: { milliseconds: 300 } } };
    expect(nextRetryDelay(policy, { attempt: 1, elapsedMs: 0 }, () => 0)).toBe(1100);
    expect(nextRetryDelay(policy, { attempt: 1, elapsedMs: 0 }, () => 0.5)).toBe(1200);
    expect(nextRetryDelay(policy, { attempt: 1, elapsedMs: 0 }, () => 0.999999)).toBe(1300);
  });
});
