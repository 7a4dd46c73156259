import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { BullStepScheduler, createStepQueue, EngineClient, publishCancellation } from '@flunq/engine';
import { RedisDefinitionStore, RedisIoStore } from '@flunq/redis-store';
import { Redis } from 'ioredis';

const appsDir = new URL('../../', import.meta.url).pathname;

/** A service process of the stack, with the JSON log lines it wrote. */
export interface ServiceProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[];
  /** The log line that said it was ready. */
  readonly ready: Record<string, unknown>;
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts `apps/<app>/src/main.ts` as a real process; resolves once it logs `readyMessage`.
 * (Copied from apps/worker/test/stack.ts, with io-api added: apps cannot import each other.)
 */
export async function startService(app: 'worker' | 'executor' | 'io-api', env: Record<string, string>, readyMessage: string): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@flunq/source', 'src/main.ts'], { cwd: `${appsDir}${app}`, env: { ...process.env, LOG_LEVEL: 'info', ...env } });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line };
      }
      lines.push(entry);
      if (entry['msg'] === readyMessage) resolve(entry);
    });
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code} before it was ready: ${stderr}`)));
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return {
    child,
    lines,
    ready,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited)[0];
    },
  };
}

/** One isolated deployment on a shared Redis: its own key and queue prefixes, and an EngineClient on them. */
export function deployment(redisUrl: string) {
  const id = randomUUID().slice(0, 8);
  const keyPrefix = `e2e-${id}:`;
  const queuePrefix = `{e2e-${id}}`;
  const store = new RedisIoStore({ redis: redisUrl, keyPrefix });
  const definitions = new RedisDefinitionStore({ redis: redisUrl, keyPrefix });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const publisher = new Redis(redisUrl);
  const queue = createStepQueue({ connection, prefix: queuePrefix });
  const client = new EngineClient({
    store,
    definitions,
    scheduler: new BullStepScheduler(queue),
    onCancelled: async (executionId) => void (await publishCancellation(publisher, executionId, keyPrefix)),
  });
  return {
    keyPrefix,
    queuePrefix,
    store,
    client,
    publisher,
    /** The environment of an io-api process on this deployment. */
    apiEnv: (apiKeys: string): Record<string, string> => ({
      REDIS_URL: redisUrl,
      FLUNQ_KEY_PREFIX: keyPrefix,
      FLUNQ_QUEUE_PREFIX: queuePrefix,
      FLUNQ_API_KEYS: apiKeys,
      FLUNQ_API_PORT: '0',
      FLUNQ_API_METRICS_PORT: '0',
    }),
    workerEnv: (executorUrl: string): Record<string, string> => ({
      REDIS_URL: redisUrl,
      FLUNQ_KEY_PREFIX: keyPrefix,
      FLUNQ_QUEUE_PREFIX: queuePrefix,
      FLUNQ_EXECUTOR_URL: executorUrl,
      FLUNQ_WORKER_METRICS_PORT: '0',
      FLUNQ_STALLED_INTERVAL: '1s',
      FLUNQ_LOCK_DURATION: '2s',
      LOG_LEVEL: 'debug',
    }),
    close: async () => {
      await queue.close();
      await Promise.all([store.close(), definitions.close()]);
      connection.disconnect();
      publisher.disconnect();
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
