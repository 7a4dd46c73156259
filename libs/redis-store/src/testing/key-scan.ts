import type { Redis } from 'ioredis';

/** Pages of the keys under `prefix` on one server (`SCAN ... MATCH <prefix>*`), empty pages skipped. */
export async function* keyPages(redis: Pick<Redis, 'scan'>, prefix: string, count = 1000): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', count);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** Every key under `prefix` on one server. */
export async function keysUnder(redis: Pick<Redis, 'scan'>, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of keyPages(redis, prefix)) keys.push(...page);
  return keys;
}

/** Removes every key under `prefix` on one server (a test's or a benchmark's own keys on a shared server). */
export async function removeKeysUnder(redis: Pick<Redis, 'scan' | 'unlink'>, prefix: string): Promise<void> {
  for await (const page of keyPages(redis, prefix, 5000)) await redis.unlink(...page);
}
