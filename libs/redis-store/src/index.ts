/**
 * `@flunq/redis-store`: the `IoStore` port (everything flunq-io records about executions)
 * and its adapters: `RedisIoStore` for production and `MemoryIoStore` for tests.
 */
export type {
  EventPage,
  IoStore,
  ReadEventsOptions,
  ReadStateOptions,
  RecordEventInput,
  RecordEventResult,
  StoredEvent,
} from './io-store.js';
export {
  InvalidArgumentError,
  InvalidIdError,
  InvalidRecordError,
  LegacyRecordError,
  StorageFailureError,
  StoreError,
  VersionConflictError,
} from './errors/store-errors.js';
export type { StoreErrorCode } from './errors/store-errors.js';
export { assertValidId, createKeyBuilder, MAX_ID_LENGTH } from './keys/key-builder.js';
export type { KeyBuilder } from './keys/key-builder.js';
export { resolveRetention } from './records/record-step.js';
export type { RetentionOptions } from './records/record-step.js';
export { isTerminal } from './records/state-snapshot.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './records/paging.js';
export { RedisIoStore } from './redis/redis-io-store.js';
export type { RedisIoStoreOptions } from './redis/redis-io-store.js';
export type { RedisClient } from './redis/redis-client.js';
export { MemoryIoStore } from './memory/memory-io-store.js';
export type { MemoryEntry, MemoryIoStoreOptions } from './memory/memory-io-store.js';
