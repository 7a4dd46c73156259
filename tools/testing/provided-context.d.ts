// What tools/testing/redis-global-setup.ts provides to tests through vitest's `inject`.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis this test run uses: `REDIS_URL` when set, else a private server. */
    redisUrl: string;
  }
}
