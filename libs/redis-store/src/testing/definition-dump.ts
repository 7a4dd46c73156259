import { Cluster, type Redis } from 'ioredis';
import type { MemoryDefinitionDump } from '../definitions/memory-definition-store.js';

/** One key as Redis holds it: hash fields (hex values), list items or zset members with scores. */
export type DumpedKey =
  | { readonly key: string; readonly type: 'hash'; readonly fields: Record<string, string> }
  | { readonly key: string; readonly type: 'list'; readonly items: string[] }
  | { readonly key: string; readonly type: 'zset'; readonly members: [string, string][] }
  | { readonly key: string; readonly type: 'other'; readonly redisType: string };

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** Canonical text of a set of keys: sorted by key, hash fields sorted, values as hex. */
export function canonicalDump(keys: DumpedKey[]): string {
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return JSON.stringify(
    sorted.map((k) =>
      k.type === 'hash' ? { ...k, fields: Object.fromEntries(Object.entries(k.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : k,
    ),
  );
}

/** Every key of a {@link MemoryDefinitionStore}, in the format of {@link dumpRedisKeys}. */
export function dumpMemoryStore(dump: MemoryDefinitionDump): DumpedKey[] {
  return [
    ...[...dump.hashes].map(([key, hash]): DumpedKey => ({ key, type: 'hash', fields: Object.fromEntries([...hash].map(([f, v]) => [f, hex(v)])) })),
    ...[...dump.lists].map(([key, items]): DumpedKey => ({ key, type: 'list', items: [...items] })),
    ...[...dump.zsets].map(([key, set]): DumpedKey => ({ key, type: 'zset', members: [...set].sort().map((m): [string, string] => [m, '0']) })),
  ];
}

async function scanAll(node: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Every key under `prefix` on a server or every master of a cluster, with its raw content. */
export async function dumpRedisKeys(redis: Redis | Cluster, prefix: string): Promise<DumpedKey[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const keys = (await Promise.all(nodes.map((node) => scanAll(node, `${prefix}*`)))).flat();
  return Promise.all(
    keys.map(async (key): Promise<DumpedKey> => {
      const type = await redis.type(key);
      switch (type) {
        case 'hash': {
          const all = await redis.hgetallBuffer(key);
          return { key, type, fields: Object.fromEntries(Object.entries(all).map(([f, v]) => [f, hex(v)])) };
        }
        case 'list':
          return { key, type, items: await redis.lrange(key, 0, -1) };
        case 'zset': {
          const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
          const members: [string, string][] = [];
          for (let i = 0; i + 1 < flat.length; i += 2) members.push([flat[i] ?? '', flat[i + 1] ?? '']);
          return { key, type, members: members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
        }
        default:
          return { key, type: 'other', redisType: type };
      }
    }),
  );
}
