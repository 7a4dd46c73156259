/**
 * `@flunq/redis-store`: the `IoStore` port (everything flunq-io records about executions)
 * and its adapters: `RedisIoStore` for production and `MemoryIoStore` for tests; and the
 * `DefinitionStore` port (immutable, versioned workflow definition sources per tenant) with
 * `RedisDefinitionStore` and `MemoryDefinitionStore`; and the `ExecutionIndex` port (per-tenant
 * listing of executions) with `RedisExecutionIndex` and `MemoryExecutionIndex`.
 */
export type {
  EventPage,
  IoStore,
  ReadEventsOptions,
  ReadStateOptions,
  RecordEventInput,
  RecordEventResult,
  StoredEvent,
  WatchEventsOptions,
} from './io-store.js';
/** Limits of `IoStore.watchEvents` (live events, e.g. for SSE). */
export { DEFAULT_WATCH_BLOCK_MS, MAX_WATCH_BLOCK_MS } from './redis/watch-events.js';
export {
  DefinitionConflictError,
  DefinitionTooLargeError,
  InvalidArgumentError,
  InvalidIdError,
  InvalidRecordError,
  LegacyRecordError,
  StorageFailureError,
  StoreError,
  VersionConflictError,
} from './errors/store-errors.js';
export type { StoreErrorCode } from './errors/store-errors.js';
export { assertValidId, assertValidTenantId, createKeyBuilder, MAX_ID_LENGTH } from './keys/key-builder.js';
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

/** Workflow definitions: the port and its types (see docs/definitions.md). */
export type {
  DefinitionStore,
  DefinitionVersionInfo,
  GetDefinitionInput,
  ListWorkflowsOptions,
  RegisterDefinitionInput,
  RegisterDefinitionResult,
  StoredDefinition,
  WorkflowDefinitionSummary,
  WorkflowPage,
  WorkflowRef,
} from './definitions/definition-store.js';
/** Limits of the definition store and the version check both adapters apply. */
export {
  assertValidVersion,
  DEFAULT_MAX_SOURCE_BYTES,
  DEFAULT_WORKFLOW_PAGE_SIZE,
  MAX_VERSION_LENGTH,
  MAX_WORKFLOW_PAGE_SIZE,
} from './definitions/definition-record.js';
/** The Redis adapter of `DefinitionStore` (one Lua script per registration, Cluster-safe). */
export { RedisDefinitionStore } from './definitions/redis-definition-store.js';
export type { DefinitionRedisClient, RedisDefinitionStoreOptions } from './definitions/redis-definition-store.js';
/** The in-memory adapter of `DefinitionStore`, for other projects' tests. */
export { MemoryDefinitionStore } from './definitions/memory-definition-store.js';
export type { MemoryDefinitionDump, MemoryDefinitionStoreOptions } from './definitions/memory-definition-store.js';
export { MemorySnapshotStore } from './snapshots/memory-snapshot-store.js';
export { RedisSnapshotStore, snapshotsKey } from './snapshots/redis-snapshot-store.js';
export type { RedisSnapshotStoreOptions } from './snapshots/redis-snapshot-store.js';
export type { ExecutionSnapshot as StoredExecutionSnapshot, SnapshotStore } from './snapshots/snapshot-store.js';
export { hydrateState } from './records/hydrate-state.js';
export type { ExecutionIndex, ExecutionPage, ExecutionSummary, ListExecutionsOptions } from './executions/execution-index.js';

/** The per-tenant execution index: its limits, and the Redis and memory adapters (see docs/executions-index.md). */
export { DEFAULT_EXECUTION_PAGE_SIZE, EXECUTION_SCAN_BUDGET, MAX_EXECUTION_PAGE_SIZE } from './executions/execution-record.js';
export { RedisExecutionIndex } from './executions/redis-execution-index.js';
export type { ExecutionIndexRedisClient, RedisExecutionIndexOptions } from './executions/redis-execution-index.js';
export { MemoryExecutionIndex } from './executions/memory-execution-index.js';
export type { MemoryExecutionIndexDump } from './executions/memory-execution-index.js';

/** Content search (issue #6), the storage side: the port, its limits, the Redis and memory adapters (see docs/search-index.md). */
export type { ContentIndex, IndexTerms, NumericTerm, RangeSpec, SearchOptions, SearchPage, SearchPlan, StringTerm } from './search/content-index.js';
export { DEFAULT_SEARCH_PAGE_SIZE, MAX_PLAN_DEPTH, MAX_PLAN_NODES, MAX_SEARCH_PAGE_SIZE } from './search/search-plan-check.js';
export { MAX_STRING_TERM_LENGTH, MAX_TERM_KEY_LENGTH, MAX_TERMS_PER_EXECUTION } from './search/search-terms.js';
export { SEGMENT_SIZE } from './search/search-layout.js';
export { assertValidSearchField, MAX_SEARCH_FIELD_LENGTH } from './keys/key-builder.js';
export { RedisContentIndex } from './search/redis-content-index.js';
export type { ContentIndexRedisClient, RedisContentIndexOptions } from './search/redis-content-index.js';
export { MemoryContentIndex } from './search/memory-content-index.js';
export type { MemoryContentIndexDump } from './search/memory-content-index.js';

/** Execution analytics: the `StatsStore` port, its Redis and memory adapters, Redis memory by kind of key (see docs/io-api.md, "Statistics"). */
export type {
  ExecutionCounts,
  HourCounts,
  PayloadDirection,
  PayloadSample,
  PayloadStats,
  PayloadTotals,
  ReadStatsOptions,
  SizeBucket,
  StatsEventKind,
  StatsReport,
  StatsSample,
  StatsStore,
  TaskStats,
} from './stats/stats-store.js';
export { DEFAULT_STATS_RETENTION_MS, DURATION_BOUNDS_MS, HOUR_MS, MAX_STATS_RANGE_HOURS, SIZE_BOUNDS_BYTES } from './stats/stats-record.js';
export { classifyKey, DEFAULT_MEMORY_SCAN_KEYS, KEY_KINDS, RedisStatsStore } from './stats/redis-stats-store.js';
export type { KeyKind, KindUsage, MemoryByKind, MemoryByKindOptions, RedisStatsStoreOptions } from './stats/redis-stats-store.js';
export { MemoryStatsStore } from './stats/memory-stats-store.js';
export type { MemoryStatsDump, MemoryStatsStoreOptions } from './stats/memory-stats-store.js';
/** Byte-level access to one execution's keys, for archival and restore (issue #7). */
export { purgeGuardOf, RawExecutionStore } from './raw/raw-execution-store.js';
/** The stored form of events (entry ids, envelopes without the attributes the key and position give), for format rewrites. */
export { entryIdOf, fromStoredEvent, sequenceOf, toStoredEvent } from './records/stored-event.js';
export type { ExecutionContext } from './records/stored-event.js';
export type { ArchiveTombstone, PurgeGuard, RawExecution, RawStreamEntry } from './raw/raw-execution-store.js';
/** Migration of the original system's JSON values to the binary format (issue #7): plan, one execution, the scan. */
export { migrateExecution, planLegacyMigration } from './raw/legacy-migration.js';
export type { ExecutionMigrationReport, LegacyMigrationPlan } from './raw/legacy-migration.js';
export { findLegacyExecutions } from './raw/legacy-scan.js';
export type { FindLegacyOptions } from './raw/legacy-scan.js';
/** Cold compression (issue #7): payloads of finished executions re-encoded with a stronger codec, in place, atomically. */
export { DEFAULT_COLD_COMPRESSION, recompressExecution, resolveColdCompression } from './raw/cold-compression.js';
export type { ColdCompressionOptions, ColdCompressionResult } from './raw/cold-compression.js';
export { planColdCompression } from './raw/cold-compression-plan.js';
export type { ColdCompressionPlan, ColdCompressionSkip } from './raw/cold-compression-plan.js';
