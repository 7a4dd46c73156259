import { setTimeout as delay } from 'node:timers/promises';
import { ExecutorFailure, resolveErrorType, type TaskContext, type TaskHandler } from '@flunq/executor-kit';

const MAX_SLEEP_MS = 24 * 60 * 60 * 1000;

function invalid(detail: string): ExecutorFailure {
  return new ExecutorFailure({ type: 'validation', title: 'Invalid function input', detail });
}

/** `echo`: returns its input unchanged. */
export const echo: TaskHandler = (input) => input;

/**
 * `fail`: raises the failure its input describes, `{type?, status?, title?, detail?,
 * retryable?, retryAfterMs?}` (type defaults to `runtime`): for testing error handling
 * and retries end to end.
 */
export const fail: TaskHandler = (input) => {
  const spec = (input !== null && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const type = typeof spec['type'] === 'string' ? spec['type'] : 'runtime';
  try {
    resolveErrorType(type);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const pick = <T>(key: string, kind: string): T | undefined => (typeof spec[key] === kind ? (spec[key] as T) : undefined);
  const fields = { status: pick<number>('status', 'number'), title: pick<string>('title', 'string'), detail: pick<string>('detail', 'string') };
  const retry = { retryable: pick<boolean>('retryable', 'boolean'), retryAfterMs: pick<number>('retryAfterMs', 'number') };
  throw new ExecutorFailure({ type, ...definedOnly({ ...fields, ...retry }) });
};

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `sleep`: waits `ms` (input number or `{ms}`, at most a day), stopping early on abort; returns `{sleptMs}`. */
export const sleep: TaskHandler = async (input, context: TaskContext) => {
  const ms = typeof input === 'number' ? input : (input as { ms?: unknown } | null)?.ms;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_SLEEP_MS) {
    throw invalid(`sleep wants a number of milliseconds between 0 and ${MAX_SLEEP_MS} (or {ms}), got ${JSON.stringify(input)}`);
  }
  await delay(ms, undefined, { signal: context.signal });
  return { sleptMs: ms };
};

/** The functions every flunq executor serves, for demos and tests. */
export const BUILTIN_FUNCTIONS: Readonly<Record<string, TaskHandler>> = Object.freeze({ echo, fail, sleep });
