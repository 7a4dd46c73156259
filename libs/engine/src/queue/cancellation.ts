import type { Redis } from 'ioredis';

/** The Redis pub/sub channel on which cancelled execution ids are announced, under a deployment's key prefix. */
export function cancellationChannel(keyPrefix = ''): string {
  return `${keyPrefix}flunq:executions:cancelled`;
}

/** Announces a cancelled execution to every worker (they abort its in-flight task). */
export function publishCancellation(redis: Pick<Redis, 'publish'>, executionId: string, keyPrefix = ''): Promise<number> {
  return redis.publish(cancellationChannel(keyPrefix), executionId);
}

/**
 * Listens for cancelled executions on a dedicated connection (a subscribed connection can
 * do nothing else) and calls `onCancelled` with each id. Resolves with a stop function.
 */
export async function subscribeToCancellations(subscriber: Redis, onCancelled: (executionId: string) => void, keyPrefix = ''): Promise<() => Promise<void>> {
  const channel = cancellationChannel(keyPrefix);
  const listener = (from: string, message: string): void => {
    if (from === channel) onCancelled(message);
  };
  subscriber.on('message', listener);
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.off('message', listener);
    await subscriber.unsubscribe(channel);
  };
}
