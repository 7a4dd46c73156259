import { Redis, type Cluster } from 'ioredis';
import { assertValidId } from '../keys/key-builder.js';
import { bestSequence, decodeSnapshot, encodeSnapshot, type ExecutionSnapshot, type SnapshotStore } from './snapshot-store.js';

/** Options of {@link RedisSnapshotStore}. */
export interface RedisSnapshotStoreOptions {
  /** A connected client (a `Redis` or a `Cluster`), or a URL for a client the store owns. */
  readonly redis: Redis | Cluster | string;
  /** Deployment namespace, as for `RedisIoStore`. */
  readonly keyPrefix?: string;
}

/** `workflow:snapshots:{<id>}`: a hash from event sequence to snapshot, in the execution's slot. */
export function snapshotsKey(keyPrefix: string, executionId: string): string {
  assertValidId(executionId);
  return `${keyPrefix}workflow:snapshots:{${executionId}}`;
}

/** The Redis adapter of {@link SnapshotStore}. */
export class RedisSnapshotStore implements SnapshotStore {
  private readonly redis: Redis | Cluster;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(options: RedisSnapshotStoreOptions) {
    this.owned = typeof options.redis === 'string';
    this.redis = typeof options.redis === 'string' ? new Redis(options.redis) : options.redis;
    this.prefix = options.keyPrefix ?? '';
  }

  async put(executionId: string, snapshot: ExecutionSnapshot): Promise<void> {
    await this.redis.hset(snapshotsKey(this.prefix, executionId), String(snapshot.sequence), encodeSnapshot(snapshot));
  }

  async find(executionId: string, sequence: number): Promise<ExecutionSnapshot | undefined> {
    const key = snapshotsKey(this.prefix, executionId);
    const best = bestSequence((await this.redis.hkeys(key)).map(Number), sequence);
    if (best === undefined) return undefined;
    const bytes = await this.redis.hgetBuffer(key, String(best));
    return bytes ? decodeSnapshot(best, bytes) : undefined;
  }

  async expire(executionId: string, ttlMs: number): Promise<void> {
    if (ttlMs > 0) await this.redis.pexpire(snapshotsKey(this.prefix, executionId), ttlMs);
  }

  async close(): Promise<void> {
    if (this.owned) this.redis.disconnect();
  }
}
