import type { Cluster, Redis } from 'ioredis';
import { StorageFailureError } from '../errors/store-errors.js';
import { createKeyBuilder } from '../keys/key-builder.js';

/** Options of {@link findLegacyExecutions}. */
export interface FindLegacyOptions {
  /** SCAN `COUNT` hint, also the number of first bytes read at once. Default 1000. */
  readonly count?: number;
  /** Told after each SCAN page how many state keys it held (legacy or not). */
  readonly onScanned?: (keys: number) => void;
}

type ScanNode = Pick<Redis, 'scan'>;

// `{` starts the original system's JSON; JSON may open with whitespace (see detectFormat).
const LEGACY_FIRST_BYTES = new Set([0x7b, 0x20, 0x0a, 0x0d, 0x09]);

/**
 * The executions whose state is still the original system's JSON, found by SCAN over
 * `<prefix>workflow:state:{*}` on every master (a Cluster's keys are spread over them) and a
 * `GETRANGE key 0 0` per key: a state whose first byte is `{` (or JSON whitespace) is
 * legacy; binary envelopes start with 0xFA. Nothing is decoded here.
 *
 * Left out: streams still holding legacy entries whose state is gone (retention removes the
 * state first) or already binary; find those by id and pass them to `migrateExecution`.
 * Keys without the hash tag (`workflow:state:<id>`) are not the store's and are not found.
 * SCAN may yield a key twice: migrating an execution again finds nothing legacy.
 * @throws StorageFailureError when Redis fails
 */
export async function* findLegacyExecutions(redis: Redis | Cluster, keyPrefix = '', options: FindLegacyOptions = {}): AsyncGenerator<string> {
  const count = options.count ?? 1000;
  const head = createKeyBuilder(keyPrefix).state('x').slice(0, -'{x}'.length);
  const match = `${escapeGlob(head)}{*}`;
  const nodes: ScanNode[] = redis.isCluster ? (redis as Cluster).nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await run(() => node.scan(cursor, 'MATCH', match, 'COUNT', count));
      cursor = next;
      options.onScanned?.(keys.length);
      const firsts = await run(() => Promise.all(keys.map((key) => redis.getrangeBuffer(key, 0, 0))));
      for (const [index, key] of keys.entries()) {
        const first = firsts[index]?.[0];
        if (first !== undefined && LEGACY_FIRST_BYTES.has(first)) yield key.slice(head.length + 1, -1);
      }
    } while (cursor !== '0');
  }
}

/** Escapes the glob characters of a SCAN MATCH pattern (`*`, `?`, `[`, `]`, `\`). */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

async function run<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    throw new StorageFailureError('findLegacyExecutions', { cause: error });
  }
}
