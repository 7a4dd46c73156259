import { Cluster, Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { describeContentIndexContract } from '../testing/content-index-contract.js';
import { describeDefinitionStoreContract } from '../testing/definition-store-contract.js';
import { describeExecutionIndexContract } from '../testing/execution-index-contract.js';
import { describeIoStoreContract } from '../testing/io-store-contract.js';
import { startRedisCluster } from '../testing/redis-cluster.js';
import { createRedisContentIndexHarness } from '../testing/redis-content-index-harness.js';
import { createRedisDefinitionHarness } from '../testing/redis-definition-harness.js';
import { createRedisExecutionIndexHarness } from '../testing/redis-execution-index-harness.js';
import { ExecutionBuilder } from '../testing/execution-builder.js';
import { createRedisHarness } from '../testing/redis-harness.js';
import { collectWatch, describeWatchEventsContract, eventually } from '../testing/watch-events-contract.js';
import { RedisIoStore } from './redis-io-store.js';

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

// The execution index on its own cluster: every key of one tenant carries the `{<tenantId>}`
// hash tag, so an upsert and a listing are each one script on one node.
describeExecutionIndexContract('RedisExecutionIndex on a Redis Cluster', async () => {
  const cluster = await startRedisCluster(3);
  return createRedisExecutionIndexHarness(new Cluster(cluster.nodes), () => cluster.stop());
});

// The content index on its own cluster: every key of one tenant (index sets, records and a
// search's temporary keys) carries the `{<tenantId>}` hash tag, so a replace and a search page
// are each one script on one node.
describeContentIndexContract('RedisContentIndex on a Redis Cluster', async () => {
  const cluster = await startRedisCluster(3);
  return createRedisContentIndexHarness(new Cluster(cluster.nodes), () => cluster.stop());
});

// Live events on a cluster: each watch blocks on a duplicate of the node owning the stream.
describeWatchEventsContract('RedisIoStore on a Redis Cluster', async () => {
  const cluster = await startRedisCluster(3);
  return createRedisHarness(new Cluster(cluster.nodes), () => cluster.stop());
});

describe('RedisIoStore.watchEvents on a Redis Cluster', () => {
  test('a watch blocks on one duplicated connection to the node owning the stream, closed on abort', async () => {
    const cluster = await startRedisCluster(3);
    const client = new Cluster(cluster.nodes);
    const admins = cluster.nodes.map((n) => new Redis(n.port, n.host));
    const blockedPerNode = async (): Promise<number[]> =>
      Promise.all(admins.map(async (a) => String(await a.client('LIST')).split('\n').filter((line: string) => line.includes('cmd=xread')).length));
    try {
      const store = new RedisIoStore({ redis: client, keyPrefix: 'watch:' });
      const builder = new ExecutionBuilder('cluster-watch');
      await store.recordEvent(builder.started({}));
      const watch = collectWatch(store, builder.executionId);
      await eventually(() => watch.seen.length === 1);
      const slot = await client.cluster('KEYSLOT', store.keys.events(builder.executionId));
      const owner = cluster.nodes.findIndex((n) => client.slots[slot]?.[0] === `${n.host}:${n.port}`);
      let counts: number[] = [];
      for (let i = 0; i < 100 && counts.reduce((a, b) => a + b, 0) === 0; i++) counts = await blockedPerNode();
      expect(counts).toEqual(cluster.nodes.map((_, i) => (i === owner ? 1 : 0)));
      await store.recordEvent(builder.taskCompleted('a', 1, 1));
      await eventually(() => watch.seen.length === 2);
      watch.controller.abort();
      await watch.done;
      for (let i = 0; i < 100 && counts.some((c) => c > 0); i++) counts = await blockedPerNode();
      expect(counts).toEqual([0, 0, 0]);
    } finally {
      for (const a of admins) a.disconnect();
      client.disconnect();
      await cluster.stop();
    }
  });
});
