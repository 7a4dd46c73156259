import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoreScript } from './scripts.js';

/** The few Redis commands the store uses; an ioredis `Redis` (or `Cluster`) satisfies it. */
export type RedisClient = Pick<Redis, 'getBuffer' | 'xrangeBuffer' | 'hmgetBuffer' | 'evalsha' | 'eval' | 'pipeline' | 'quit'>;

/** ioredis' Buffer-reply forms of EVALSHA/EVAL (present at runtime, not in its types). */
interface BufferEval {
  evalshaBuffer(sha: string, numberOfKeys: number, ...args: (string | Buffer | number)[]): Promise<unknown>;
  evalBuffer(lua: string, numberOfKeys: number, ...args: (string | Buffer | number)[]): Promise<unknown>;
}

/**
 * Runs a store script by SHA, loading it on the first NOSCRIPT (e.g. after a Redis restart).
 * With `buffers`, every string of the reply is a Buffer (for scripts returning stored bytes).
 */
export function createScriptRunner(client: Pick<Redis, 'evalsha' | 'eval'>, script: StoreScript, options: { buffers?: boolean } = {}) {
  const sha = createHash('sha1').update(script.lua).digest('hex');
  const buffered = client as unknown as BufferEval;
  const bySha = options.buffers ? buffered.evalshaBuffer.bind(client) : client.evalsha.bind(client);
  const bySource = options.buffers ? buffered.evalBuffer.bind(client) : client.eval.bind(client);
  return async (keys: string[], args: (string | Buffer | number)[]): Promise<unknown> => {
    try {
      return await bySha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return bySource(script.lua, keys.length, ...keys, ...args);
    }
  };
}
