import { durationMs, parseDuration } from '../time/duration.js';

/** The DSL 1.0 retry policy fields that decide whether and when to try again. */
export interface RetryPolicy {
  readonly delay?: unknown;
  readonly backoff?: { readonly constant?: object; readonly linear?: object; readonly exponential?: object };
  readonly limit?: { readonly attempt?: { readonly count?: number; readonly duration?: unknown }; readonly duration?: unknown };
  readonly jitter?: { readonly from: unknown; readonly to: unknown };
}

/** Where a failing task stands when the next delay is computed. */
export interface RetryState {
  /** Attempts made so far, the failed one included (1 after the first failure). */
  readonly attempt: number;
  /** Milliseconds since the first attempt started. */
  readonly elapsedMs: number;
}

const ms = (value: unknown): number => (value === undefined ? 0 : durationMs(parseDuration(value)));

/**
 * The delay before the next attempt, or undefined when the policy allows no more:
 * constant backoff waits `delay` each time, linear `delay x attempt`, exponential
 * `delay x 2^(attempt-1)`; jitter adds a uniform amount between `jitter.from` and
 * `jitter.to`. `limit.attempt.count` caps the attempts (the first included) and
 * `limit.duration` the time from the first attempt to the start of the next one.
 * `random` is injected so the reducer stays deterministic (record the drawn value).
 */
export function nextRetryDelay(policy: RetryPolicy, state: RetryState, random: () => number): number | undefined {
  const count = policy.limit?.attempt?.count;
  if (count !== undefined && state.attempt >= count) return undefined;
  const base = ms(policy.delay);
  const backoff = policy.backoff ?? {};
  const factor = backoff.exponential ? 2 ** (state.attempt - 1) : backoff.linear ? state.attempt : 1;
  const jitter = policy.jitter ? ms(policy.jitter.from) + random() * (ms(policy.jitter.to) - ms(policy.jitter.from)) : 0;
  const delay = Math.round(base * factor + jitter);
  const total = policy.limit?.duration === undefined ? undefined : ms(policy.limit.duration);
  if (total !== undefined && state.elapsedMs + delay > total) return undefined;
  return delay;
}
