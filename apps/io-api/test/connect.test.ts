import type { AddressInfo } from 'node:net';
import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { EngineClient } from '@flunq/engine';
import { IoApiService } from '@flunq/proto-types';
import { MemoryDefinitionStore, MemoryIoStore, type StoredEvent, type WatchEventsOptions } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { waitFor } from '@flunq/stack-testing';
import { afterEach, describe, expect, test } from 'vitest';
import { ApiKeys } from '../src/api-keys.js';
import { buildApp, type ApiApp } from '../src/app.js';

const KEY = 'key-a-0123456789abcdef';
const HELLO = `document: { dsl: '1.0.0', namespace: t, name: hello, version: '1.0.0' }\ndo:\n  - greet:\n      set:\n        greeting: \${ "Hello " + .name }\n`;
const limits = { maxPayloadSize: 4096, maxWorkflowInputSize: 1024, maxTaskOutputSize: 4096 };
const as = { headers: { authorization: `Bearer ${KEY}` } };

/** A memory store that keeps the signal of every watch, to see the server end it. */
class WatchedStore extends MemoryIoStore {
  readonly signals: AbortSignal[] = [];
  override watchEvents(executionId: string, options: WatchEventsOptions): AsyncIterable<StoredEvent> {
    this.signals.push(options.signal);
    return super.watchEvents(executionId, options);
  }
}

describe('IoApiService in process (memory stores): watch lifetimes', () => {
  let api: ApiApp | undefined;

  afterEach(async () => api?.app.close());

  async function start(): Promise<{ store: WatchedStore; rpc: Client<typeof IoApiService>; executionId: string }> {
    const store = new WatchedStore({ limits });
    const definitions = new MemoryDefinitionStore();
    const serializer = createPayloadSerializer({ limits });
    const client = new EngineClient({ store, definitions, serializer, scheduler: { schedule: async () => undefined } });
    const apiKeys = ApiKeys.parse(`${KEY}=tenant-a`).keys;
    api = await buildApp({ apiKeys, store, definitions, client, serializer, limits, executions: { list: async () => ({ items: [] }), get: async () => undefined } });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    await client.registerDefinition('tenant-a', HELLO);
    // Nothing runs the steps: the execution stays at its first event.
    const { executionId } = await client.startExecution({ tenantId: 'tenant-a', workflowId: 'hello', input: { name: 'Ada' } });
    return { store, rpc: createClient(IoApiService, createConnectTransport({ baseUrl, httpVersion: '1.1' })), executionId };
  }

  test('a client cancel ends the server-side watch (its signal aborts)', async () => {
    const { store, rpc, executionId } = await start();
    const controller = new AbortController();
    const types: string[] = [];
    const watched = (async () => {
      for await (const message of rpc.watchEvents({ executionId }, { ...as, signal: controller.signal })) {
        types.push(message.event!.type);
        controller.abort();
      }
    })().catch((error: unknown) => ConnectError.from(error));
    expect((await watched)?.code).toBe(Code.Canceled);
    expect(types).toEqual(['io.flunq.execution.started']);
    expect(store.signals).toHaveLength(1);
    await waitFor('the server to end the watch', async () => (store.signals[0]!.aborted ? true : undefined), 5_000);
  });

  test('closing the app ends an open watch with UNAVAILABLE naming the cursor to resume from; close does not hang', async () => {
    const { store, rpc, executionId } = await start();
    const cursors: string[] = [];
    const watched = (async () => {
      for await (const message of rpc.watchEvents({ executionId }, as)) cursors.push(message.cursor);
    })().catch((error: unknown) => ConnectError.from(error));
    await waitFor('the first event', async () => (cursors.length ? true : undefined), 5_000);
    const closing = Date.now();
    await api!.app.close();
    api = undefined;
    expect(Date.now() - closing).toBeLessThan(3_000);
    const error = await watched;
    expect(error?.code).toBe(Code.Unavailable);
    expect(error?.rawMessage).toBe(`io-api is shutting down; watch again with after=${cursors[0]}`);
    expect(store.signals[0]!.aborted).toBe(true);
  });

  test('a request over the size limit is refused before any handler runs', async () => {
    const { rpc } = await start();
    const error = await rpc.getExecution({ executionId: 'x'.repeat(70 * 1024) }, as).catch((e: unknown) => ConnectError.from(e));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.ResourceExhausted);
  });
});
