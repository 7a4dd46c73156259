import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { describeIoStoreContract } from '../testing/io-store-contract.js';
import { createRedisHarness } from '../testing/redis-harness.js';

describeIoStoreContract('RedisIoStore on a real Redis', async () => createRedisHarness(new Redis(inject('redisUrl'))));
