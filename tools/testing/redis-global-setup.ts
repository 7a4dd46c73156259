import type { TestProject } from 'vitest/node';
import { startRedisServer, type RedisServerHandle } from '../../libs/redis-store/src/testing/redis-server.js';

import type {} from './provided-context.js';

let server: RedisServerHandle | undefined;

/** vitest global setup: provide `redisUrl` to tests, starting a private redis-server unless REDIS_URL is set. */
export async function setup(project: TestProject): Promise<void> {
  const fromEnv = process.env['REDIS_URL'];
  if (fromEnv) {
    project.provide('redisUrl', fromEnv);
    return;
  }
  server = await startRedisServer();
  project.provide('redisUrl', server.url);
}

/** Stops the private redis-server, if this run started one. */
export async function teardown(): Promise<void> {
  await server?.stop();
  server = undefined;
}
