import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoreScript } from './scripts.js';

/** The few Redis commands the store uses; an ioredis `Redis` (or `Cluster`) satisfies it. */
export type RedisClient = Pick<Redis, 'getBuffer' | 'xrangeBuffer' | 'hmgetBuffer' | 'evalsha' | 'eval' | 'pipeline' | 'quit'>;

/** Runs a store script by SHA, loading it on the first NOSCRIPT (e.g. after a Redis restart). */
export function createScriptRunner(client: Pick<Redis, 'evalsha' | 'eval'>, script: StoreScript) {
  const sha = createHash('sha1').update(script.lua).digest('hex');
  return async (keys: string[], args: (string | Buffer | number)[]): Promise<unknown> => {
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(script.lua, keys.length, ...keys, ...args);
    }
  };
}

/** What {@link createBufferScriptRunner} calls: ioredis' Buffer-reply forms of EVALSHA/EVAL (present at runtime, not in its types). */
interface BufferEval {
  evalshaBuffer(sha: string, numberOfKeys: number, ...args: (string | Buffer | number)[]): Promise<unknown>;
  evalBuffer(lua: string, numberOfKeys: number, ...args: (string | Buffer | number)[]): Promise<unknown>;
}

/** As {@link createScriptRunner}, with every string of the reply as a Buffer (for scripts returning stored bytes). */
export function createBufferScriptRunner(client: Pick<Redis, 'evalsha'>, script: StoreScript) {
  const sha = createHash('sha1').update(script.lua).digest('hex');
  const buffered = client as unknown as BufferEval;
  return async (keys: string[], args: (string | Buffer | number)[]): Promise<unknown> => {
    try {
      return await buffered.evalshaBuffer(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return buffered.evalBuffer(script.lua, keys.length, ...keys, ...args);
    }
  };
}
