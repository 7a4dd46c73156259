/**
 * Test support for projects that use `@flunq/redis-store`: the contract suites every
 * adapter passes (IoStore, IoStore.watchEvents, DefinitionStore, ExecutionIndex) and a builder of realistic execution steps.
 */
export { describeIoStoreContract, SEED_INPUT } from './io-store-contract.js';
export type { IoStoreHarness } from './io-store-contract.js';
export { ExecutionBuilder, orderDocument } from './execution-builder.js';
export { freePort, startRedisServer } from './redis-server.js';
export type { RedisServerHandle } from './redis-server.js';
export { startRedisCluster } from './redis-cluster.js';
export type { RedisClusterHandle } from './redis-cluster.js';
export { createRedisHarness } from './redis-harness.js';
export { describeDefinitionStoreContract, sampleDefinition } from './definition-store-contract.js';
export type { DefinitionStoreHarness } from './definition-store-contract.js';
export { createRedisDefinitionHarness } from './redis-definition-harness.js';
export { canonicalDump, dumpMemoryStore, dumpRedisKeys } from './definition-dump.js';
export type { DumpedKey } from './definition-dump.js';
export { describeExecutionIndexContract, dumpMemoryExecutionIndex, expectScanBudgetPaging, sampleSummary } from './execution-index-contract.js';
export type { ExecutionIndexHarness } from './execution-index-contract.js';
export { createRedisExecutionIndexHarness } from './redis-execution-index-harness.js';
export { collectWatch, describeWatchEventsContract, eventually } from './watch-events-contract.js';
export type { CollectingWatch, WatchEventsHarness } from './watch-events-contract.js';
export {
  bruteForce,
  canonicalSearchDump,
  describeContentIndexContract,
  dumpMemoryContentIndex,
  dumpRedisSearchKeys,
  holdsExecutions,
  sampleTerms,
  searchAll,
} from './content-index-contract.js';
export type { ContentIndexHarness, SearchDumpedKey, WrittenExecution } from './content-index-contract.js';
export { createRedisContentIndexHarness } from './redis-content-index-harness.js';
export { describeStatsStoreContract, dumpMemoryStats, sampleStats } from './stats-store-contract.js';
export type { StatsStoreHarness } from './stats-store-contract.js';
export { SEED_EXAMPLE_INPUT, seedExampleWorkflow } from './seed-example.js';
export { keyPages, keysUnder, removeKeysUnder } from './key-scan.js';
export { putLegacyExecution, rawKeyDump, seedFixtureExecution, seedLikeExecution } from './legacy-executions.js';
export type { LegacyExecution } from './legacy-executions.js';
