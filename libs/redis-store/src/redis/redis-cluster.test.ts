import { Cluster } from 'ioredis';
import { describeDefinitionStoreContract } from '../testing/definition-store-contract.js';
import { describeIoStoreContract } from '../testing/io-store-contract.js';
import { startRedisCluster } from '../testing/redis-cluster.js';
import { createRedisDefinitionHarness } from '../testing/redis-definition-harness.js';
import { createRedisHarness } from '../testing/redis-harness.js';

// The same contract on a 3-node Redis Cluster: every per-execution key carries the
// execution id as hash tag, so each script and pipeline touches one slot.
describeIoStoreContract('RedisIoStore on a Redis Cluster', async () => {
  const cluster = await startRedisCluster(3);
  return createRedisHarness(new Cluster(cluster.nodes), () => cluster.stop());
});

// The definition store on its own cluster: one slot per workflow (`{<tenantId>/<workflowId>}`),
// the tenant index in another, so the index update is a separate command.
describeDefinitionStoreContract('RedisDefinitionStore on a Redis Cluster', async () => {
  const cluster = await startRedisCluster(3);
  return createRedisDefinitionHarness(new Cluster(cluster.nodes), () => cluster.stop());
});
