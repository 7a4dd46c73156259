import { expect } from 'vitest';

/** Runs `f`, expects it to throw an instance of `type`, and returns that error for further checks. */
export function thrown<T extends Error>(f: () => unknown, type: abstract new (...args: never[]) => T): T {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}`);
}
