import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger, stopOnSignals } from '../src/index.js';

function harness(close: () => Promise<void>) {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('svc', { destination, env: {} });
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let closes = 0;
  const service = { close: async () => (closes++, close()) };
  const stop = stopOnSignals('svc', service, logger, { emitter, exit: (code) => void exits.push(code) });
  const logged = (): string[] => chunks.join('').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg);
  return { emitter, exits, closes: () => closes, stop, logged };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('stopOnSignals', () => {
  test('SIGTERM: stopping, close, stopped, exit 0; a later SIGINT is ignored', async () => {
    const h = harness(async () => undefined);
    h.emitter.emit('SIGTERM');
    h.emitter.emit('SIGINT');
    await settle();
    expect(h.closes()).toBe(1);
    expect(h.exits).toEqual([0]);
    expect(h.logged()).toEqual(['svc stopping', 'svc stopped']);
    expect(h.emitter.listenerCount('SIGTERM') + h.emitter.listenerCount('SIGINT')).toBe(0);
  });

  test('a close that fails: did not stop cleanly, exit 1', async () => {
    const h = harness(async () => {
      throw new Error('stuck');
    });
    await h.stop('SIGINT');
    expect(h.exits).toEqual([1]);
    expect(h.logged()).toEqual(['svc stopping', 'svc did not stop cleanly']);
  });

  test('a stop already under way is not started again', async () => {
    let release = (): void => undefined;
    const h = harness(() => new Promise<void>((resolve) => (release = resolve)));
    const first = h.stop('SIGTERM');
    await h.stop('SIGTERM');
    expect(h.exits).toEqual([]);
    release();
    await first;
    expect(h.closes()).toBe(1);
    expect(h.exits).toEqual([0]);
  });
});
