/**
 * Test support for projects that use `@flunq/redis-store`: the contract suite every
 * adapter passes and a builder of realistic execution steps.
 */
export { describeIoStoreContract, SEED_INPUT } from './io-store-contract.js';
export type { IoStoreHarness } from './io-store-contract.js';
export { ExecutionBuilder } from './execution-builder.js';
export { freePort, startRedisServer } from './redis-server.js';
export type { RedisServerHandle } from './redis-server.js';
export { startRedisCluster } from './redis-cluster.js';
export type { RedisClusterHandle } from './redis-cluster.js';
export { createRedisHarness } from './redis-harness.js';
