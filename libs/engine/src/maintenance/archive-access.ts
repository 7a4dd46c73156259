import type { ArchiveBackend } from '@flunq/archive';
import { RawExecutionStore, RedisIoStore, type ContentIndex, type ExecutionIndex, type IoStore } from '@flunq/redis-store';
import type { SizeLimits } from '@flunq/serializer';
import { ArchiveFallbackStore } from './archive-fallback-store.js';
import { ExecutionArchiver } from './execution-archiver.js';

/** What a service needs to archive executions and read archived ones. */
export interface ArchiveAccess {
  readonly raw: RawExecutionStore;
  readonly archiver: ExecutionArchiver;
  /** `primary` for reads, archived executions included (see {@link ArchiveFallbackStore}). */
  readonly store: IoStore;
  close(): Promise<void>;
}

/**
 * Wires the archive for a service: the byte-level store, the archiver, and a read store that
 * brings archived executions back into `<keyPrefix>archive-cache:` for `cacheTtlMs` (default 10 min).
 */
export function createArchiveAccess(options: {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly limits?: SizeLimits;
  readonly backend: ArchiveBackend;
  readonly primary: IoStore;
  readonly executions: ExecutionIndex;
  readonly search?: ContentIndex;
  readonly cacheTtlMs?: number;
}): ArchiveAccess {
  const { redisUrl, keyPrefix, backend, executions, search } = options;
  const raw = new RawExecutionStore({ redis: redisUrl, keyPrefix });
  const archiver = new ExecutionArchiver({ raw, backend, executions, ...(search ? { search } : {}) });
  const cachePrefix = `${keyPrefix}archive-cache:`;
  const cacheRaw = new RawExecutionStore({ redis: redisUrl, keyPrefix: cachePrefix });
  const cacheStore = new RedisIoStore({ redis: redisUrl, keyPrefix: cachePrefix, ...(options.limits ? { limits: options.limits } : {}) });
  const store = new ArchiveFallbackStore(options.primary, archiver, { raw: cacheRaw, store: cacheStore, ...(options.cacheTtlMs ? { ttlMs: options.cacheTtlMs } : {}) });
  return {
    raw,
    archiver,
    store,
    close: async () => {
      await Promise.all([raw.close(), cacheRaw.close(), cacheStore.close()]);
    },
  };
}
