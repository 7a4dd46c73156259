import type { EventPage, IoStore, RawExecutionStore, ReadEventsOptions, ReadStateOptions, RecordEventInput, RecordEventResult, StoredEvent, WatchEventsOptions } from '@flunq/redis-store';
import type { WorkflowState } from '@flunq/proto-types';
import type { ExecutionArchiver } from './execution-archiver.js';

/** Where archived executions are brought back to be read: a key namespace of their own, with a TTL. */
export interface ArchiveReadCache {
  /** Writes archived keys under the cache's key prefix. */
  readonly raw: RawExecutionStore;
  /** Reads them back (a `RedisIoStore` with the same key prefix). */
  readonly store: IoStore;
  /** How long a brought-back execution stays readable from the cache; default 10 minutes. */
  readonly ttlMs?: number;
}

/**
 * An {@link IoStore} that reads archived executions as if they were still in Redis: what is not
 * in `primary` any more (its tombstone names an archive) is brought back, byte for byte, into
 * the cache namespace for a while and read from there with the same store code. Writes go to
 * `primary` only. A user can open a run after it left Redis; nothing else changes for them.
 */
export class ArchiveFallbackStore implements IoStore {
  constructor(
    private readonly primary: IoStore,
    private readonly archiver: ExecutionArchiver,
    private readonly cache: ArchiveReadCache,
  ) {}

  recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
    return this.primary.recordEvent(input);
  }

  async readState(executionId: string, options?: ReadStateOptions): Promise<WorkflowState | undefined> {
    const state = await this.primary.readState(executionId, options);
    if (state || !(await this.archiver.tombstone(executionId))) return state;
    return (await this.cache.store.readState(executionId, options)) ?? ((await this.bringBack(executionId)) ? this.cache.store.readState(executionId, options) : undefined);
  }

  async readEvents(executionId: string, options?: ReadEventsOptions): Promise<EventPage> {
    const page = await this.primary.readEvents(executionId, options);
    if (page.events.length > 0 || (await this.archiver.tombstone(executionId))?.stage !== 'all') return page;
    const cached = await this.cache.store.readEvents(executionId, options);
    if (cached.events.length > 0 || !(await this.bringBack(executionId))) return cached;
    return this.cache.store.readEvents(executionId, options);
  }

  async *watchEvents(executionId: string, options: WatchEventsOptions): AsyncIterable<StoredEvent> {
    const archived = (await this.archiver.tombstone(executionId))?.stage === 'all' && (await this.bringBack(executionId));
    yield* (archived ? this.cache.store : this.primary).watchEvents(executionId, options);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  // Writes the archived keys into the cache namespace (nothing when they are there already).
  private async bringBack(executionId: string): Promise<boolean> {
    const archived = await this.archiver.read(executionId);
    if (!archived) return false;
    await this.cache.raw.restore(archived.raw, this.cache.ttlMs ?? 600_000);
    return true;
  }
}
