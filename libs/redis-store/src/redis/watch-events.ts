import { Cluster, type Redis } from 'ioredis';
import type { WorkflowEvent } from '@flunq/proto-types';
import { InvalidArgumentError, StorageFailureError } from '../errors/store-errors.js';
import type { StoredEvent, WatchEventsOptions } from '../io-store.js';
import { assertValidId } from '../keys/key-builder.js';
import { withContext } from '../records/stored-event.js';
import type { RedisClient } from './redis-client.js';

/** Default longest wait of one blocking read of a watch. */
export const DEFAULT_WATCH_BLOCK_MS = 5000;
/** Largest `blockMs` of a watch. */
export const MAX_WATCH_BLOCK_MS = 60_000;
/** Most entries one blocking read of a watch returns. */
const WATCH_BATCH = 1000;

/**
 * Validates the arguments of `IoStore.watchEvents` (both adapters, before anything runs).
 * @throws InvalidIdError, InvalidArgumentError
 */
export function checkWatchOptions(executionId: string, options: WatchEventsOptions): { after: string | undefined; blockMs: number; signal: AbortSignal } {
  assertValidId(executionId);
  const { after, signal, blockMs = DEFAULT_WATCH_BLOCK_MS } = options ?? {};
  if (!(signal instanceof AbortSignal)) throw new InvalidArgumentError('signal', 'an AbortSignal is required: it is the only way a watch ends');
  if (after !== undefined && (typeof after !== 'string' || !/^\d{1,20}(-\d{1,20})?$/.test(after))) {
    throw new InvalidArgumentError('after', `not an event cursor: ${JSON.stringify(after)}`);
  }
  if (!Number.isInteger(blockMs) || blockMs < 1 || blockMs > MAX_WATCH_BLOCK_MS) {
    throw new InvalidArgumentError('blockMs', `must be an integer in 1..${MAX_WATCH_BLOCK_MS}, got ${String(blockMs)}`);
  }
  return { after, blockMs, signal };
}

/** A raw stream entry as ioredis returns it with Buffers. */
export type RawStreamEntry = [Buffer, Buffer[]];

/** What {@link watchStream} needs from the store. */
export interface StreamWatch {
  /** The store's client: a `Redis` (duplicated per watch) or a `Cluster` (the node owning the key is). */
  readonly client: RedisClient;
  /** The events stream key. */
  readonly key: string;
  readonly after: string | undefined;
  readonly blockMs: number;
  readonly signal: AbortSignal;
  /** Decodes one entry, as readEvents does. */
  decode(entry: RawStreamEntry): WorkflowEvent;
  /** The execution's first event (it holds the attributes later events leave out), read with the store's client. */
  firstEvent(): Promise<WorkflowEvent | undefined>;
}

type WatchConnection = Redis | Cluster;

const isRedisLike = (client: unknown): client is Redis => typeof (client as Partial<Redis>).duplicate === 'function';

/** A dedicated connection for one watch: a duplicate of the client, or of the Cluster node that owns the key. */
async function openConnection(client: RedisClient, key: string): Promise<WatchConnection> {
  if (client instanceof Cluster) {
    try {
      const slot = await client.cluster('KEYSLOT', key);
      const owner = client.slots[slot]?.[0];
      const node = client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
      if (node) return node.duplicate({ enableAutoPipelining: false });
    } catch {
      // fall back to a whole Cluster client below
    }
    return client.duplicate();
  }
  if (isRedisLike(client)) return client.duplicate({ enableAutoPipelining: false });
  throw new StorageFailureError('watchEvents: the Redis client has no duplicate() for a dedicated blocking connection');
}

// A node connection reached the wrong node (resharding, failover): continue on a Cluster client.
const isRedirect = (error: unknown): boolean => error instanceof Error && /^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN)\b/.test(error.message);

/**
 * The Redis side of `IoStore.watchEvents`: `XREAD BLOCK` in a loop on a dedicated connection,
 * from `after` (or `0-0`). Abort disconnects that connection, which ends a blocked read at once;
 * the iterator then finishes without throwing. Leaving the loop early closes it too.
 */
export async function* watchStream(watch: StreamWatch): AsyncGenerator<StoredEvent, void, undefined> {
  const { signal, key } = watch;
  if (signal.aborted) return;
  let connection: WatchConnection | undefined;
  const stop = (): void => connection?.disconnect();
  signal.addEventListener('abort', stop, { once: true });
  try {
    try {
      connection = await openConnection(watch.client, key);
    } catch (error) {
      if (signal.aborted) return;
      throw error instanceof StorageFailureError ? error : new StorageFailureError('watchEvents', { cause: error });
    }
    let last = watch.after ?? '0-0';
    let first: WorkflowEvent | undefined;
    while (!signal.aborted) {
      let reply: [Buffer, RawStreamEntry[]][] | null;
      try {
        reply = await connection.xreadBuffer('COUNT', WATCH_BATCH, 'BLOCK', watch.blockMs, 'STREAMS', key, last);
      } catch (error) {
        if (signal.aborted) return;
        if (watch.client instanceof Cluster && !(connection instanceof Cluster) && isRedirect(error)) {
          connection.disconnect();
          connection = watch.client.duplicate();
          continue;
        }
        throw new StorageFailureError('watchEvents', { cause: error });
      }
      const entries = reply?.[0]?.[1] ?? [];
      const [head] = entries;
      if (head === undefined) continue;
      if (!first) {
        try {
          first = watch.after === undefined ? watch.decode(head) : await watch.firstEvent();
        } catch (error) {
          if (signal.aborted) return;
          throw error;
        }
      }
      for (const entry of entries) {
        if (signal.aborted) return;
        last = entry[0].toString('latin1');
        const event = watch.decode(entry);
        withContext([event], first);
        yield { cursor: last, event };
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    connection?.disconnect();
  }
}
