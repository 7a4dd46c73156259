import type { AddressInfo } from 'node:net';
import { EngineClient } from '@flunq/engine';
import { ExecutionStatus } from '@flunq/proto-types';
import { MemoryDefinitionStore, MemoryIoStore, MemoryStatsStore, type ExecutionIndex, type ListExecutionsOptions } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiKeys } from '../src/api-keys.js';
import { buildApp, type ApiApp } from '../src/app.js';
import { apiClient, openSse } from './http.js';
import { documentedOperations, responseProblems } from './openapi-check.js';

const KEY_A = 'key-a-0123456789abcdef';
const KEY_A2 = 'key-a2-0123456789abcdef';
const KEY_B = 'key-b-0123456789abcdef';
const WRONG = 'key-x-0123456789abcdef';
const HELLO = `document: { dsl: '1.0.0', namespace: t, name: hello, version: '1.0.0' }\ndo:\n  - greet:\n      set:\n        greeting: \${ "Hello " + .name }\n`;
const limits = { maxPayloadSize: 4096, maxWorkflowInputSize: 1024, maxTaskOutputSize: 4096 };

/** A fake of the ExecutionIndex port's `list` (the one io-api uses), to see the filters it is given. */
class FakeIndex implements Pick<ExecutionIndex, 'list' | 'get'> {
  calls: unknown[] = [];
  async get(tenantId: string, executionId: string) {
    return (await this.list({ tenantId })).items.find((s) => s.executionId === executionId);
  }
  async list(options: ListExecutionsOptions) {
    this.calls.push(options);
    const all = [
      { executionId: 'e-2', tenantId: 'tenant-a', workflowId: 'hello', workflowVersion: '1.0.0', status: ExecutionStatus.RUNNING, createdAtMs: 2000, updatedAtMs: 2500, completedAtMs: 0, correlationId: '', replayOf: 'e-1' },
      { executionId: 'e-1', tenantId: 'tenant-a', workflowId: 'hello', workflowVersion: '1.0.0', status: ExecutionStatus.COMPLETED, createdAtMs: 1000, updatedAtMs: 1500, completedAtMs: 1500, correlationId: 'c-1', replayOf: '' },
      { executionId: 'e-x', tenantId: 'tenant-b', workflowId: 'other', workflowVersion: '1', status: ExecutionStatus.RUNNING, createdAtMs: 3000, updatedAtMs: 3000, completedAtMs: 0, correlationId: '', replayOf: '' },
    ];
    const items = all.filter((s) => s.tenantId === options.tenantId && (options.status === undefined || s.status === options.status));
    return options.limit === 1 ? { items: items.slice(0, 1), nextCursor: 'next-1' } : { items };
  }
}

describe('io-api in process (memory stores): routes, auth and tenancy, problems', () => {
  const store = new MemoryIoStore({ limits });
  const definitions = new MemoryDefinitionStore();
  const serializer = createPayloadSerializer({ limits });
  const stats = new MemoryStatsStore();
  const client = new EngineClient({ store, definitions, serializer, stats, scheduler: { schedule: async () => undefined } });
  const index = new FakeIndex();
  let api: ApiApp;
  let base = '';
  const call = apiClient(() => base);
  let executionA = '';

  beforeAll(async () => {
    const apiKeys = ApiKeys.parse(`${KEY_A}=tenant-a,${KEY_A2}=tenant-a,${KEY_B}=tenant-b`);
    expect(apiKeys.problems).toEqual([]);
    api = await buildApp({ apiKeys: apiKeys.keys, store, definitions, client, serializer, limits, executions: index, stats, sseHeartbeatMs: 100 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    await client.registerDefinition('tenant-a', HELLO);
    executionA = (await client.startExecution({ tenantId: 'tenant-a', workflowId: 'hello', input: { name: 'Ada' } })).executionId;
  });
  afterAll(async () => api?.app.close());

  test('the routes served are exactly the operations of openapi.yaml under /api/', () => {
    const served = api.routes.map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`).sort();
    const documented = documentedOperations.filter((op) => op.template.startsWith('/api/')).map((op) => `${op.method} ${op.template}`).sort();
    expect(served).toEqual(documented);
    expect(served.length).toBe(15);
  });

  /** Every served route with its parameters filled for tenant A's data. */
  const concrete = () =>
    api.routes.map((route) => {
      const path = (tenant: string, executionId = executionA, workflowId = 'hello') =>
        route.url
          .replace(':tenant', tenant)
          .replace(':workflowId', workflowId)
          .replace(':version', '1.0.0')
          .replace(':executionId', executionId)
          .replace(':sequence', '1') + (route.operationId === 'getStateAt' ? '?at=1' : '');
      const body =
        route.operationId === 'registerWorkflow' ? { text: HELLO } : route.method === 'POST' ? { json: route.operationId === 'executeWorkflow' ? { input: { name: 'Eve' } } : {} } : {};
      return { route, path, body };
    });

  test('every route: no key or an unknown key is 401 with WWW-Authenticate; another tenant\'s key is 404; never data', async () => {
    for (const { route, path, body } of concrete()) {
      for (const key of [undefined, WRONG, 'short', '']) {
        const response = await call(route.method, path('tenant-a'), { ...body, key });
        expect(response.status, `${route.method} ${route.url} key ${key}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(response.body.type).toBe('https://flunq.io/problems/unauthorized');
        expect(response.text).not.toContain('Ada');
      }
      const other = await call(route.method, path('tenant-a'), { ...body, key: KEY_B });
      expect(other.status, `${route.method} ${route.url} with tenant B's key`).toBe(404);
      expect(other.body.type).toBe('https://flunq.io/problems/not-found');
      expect(other.text).not.toContain('Ada');
      expect(other.text).not.toContain('greeting');
      expect(Object.keys(other.body).sort()).toEqual(['detail', 'instance', 'status', 'title', 'type']);
    }
  });

  test("tenant B reading tenant A's ids on its own prefix gets exactly the body of a missing id", async () => {
    for (const { route, path, body } of concrete()) {
      if (!route.url.includes(':executionId') && !route.url.includes(':workflowId')) continue;
      const existing = await call(route.method, path('tenant-b'), { ...body, key: KEY_B });
      const missing = await call(route.method, path('tenant-b', 'no-such-execution', 'no-such-workflow'), { ...body, key: KEY_B });
      expect(existing.status, `${route.method} ${route.url}`).toBe(404);
      const normalise = (text: string) => text.replaceAll(executionA, 'ID').replaceAll('no-such-execution', 'ID').replaceAll('no-such-workflow', 'hello');
      expect(normalise(existing.text)).toBe(normalise(missing.text));
    }
    // Only tenant B's listing; tenant A's execution is untouched.
    expect((await call('GET', `/api/v1/tenant-a/executions/${executionA}`, { key: KEY_A2 })).body.status).toBe('RUNNING');
  });

  test('register: YAML and JSON bodies, 201 then 200 unchanged, 409 on another text, 400 with every problem and its line', async () => {
    const created = await call('POST', '/api/v1/tenant-a/workflows', { key: KEY_A, text: HELLO.replace("version: '1.0.0'", "version: '2.0.0'") });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ workflow_id: 'hello', version: '2.0.0', outcome: 'created' });
    expect(created.headers.get('location')).toBe('/api/v1/tenant-a/workflows/hello/versions/2.0.0');
    const again = await call('POST', '/api/v1/tenant-a/workflows', { key: KEY_A, text: HELLO.replace("version: '1.0.0'", "version: '2.0.0'"), contentType: 'text/yaml' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...created.body, outcome: 'unchanged' });
    const conflict = await call('POST', '/api/v1/tenant-a/workflows', { key: KEY_A, text: HELLO.replace('Hello ', 'Hi ') });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ type: 'https://flunq.io/problems/definition-conflict', version: '1.0.0', workflow_id: 'hello' });

    const json = JSON.stringify({ document: { dsl: '1.0.0', namespace: 't', name: 'as-json', version: '1.0.0' }, do: [{ a: { set: { x: 1 } } }] });
    const fromJson = await call('POST', '/api/v1/tenant-a/workflows', { key: KEY_A, text: json, contentType: 'application/json' });
    expect(fromJson.body).toMatchObject({ workflow_id: 'as-json' });
    expect(fromJson.status).toBe(201);
    expect((await call('GET', '/api/v1/tenant-a/workflows/as-json', { key: KEY_A })).body.source).toBe(json);

    const invalid = await call('POST', '/api/v1/tenant-a/workflows', {
      key: KEY_A,
      text: `document: { dsl: '1.0.0', namespace: t, name: bad, version: '1.0.0' }\ndo:\n  - first:\n      set: 3\n  - second:\n      call: http\n`,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.type).toBe('https://flunq.io/problems/invalid-definition');
    expect(invalid.body.errors.length).toBeGreaterThanOrEqual(1);
    for (const error of invalid.body.errors) expect(error).toMatchObject({ path: expect.stringMatching(/^\/do\//), line: expect.any(Number), message: expect.any(String) });
    const broken = await call('POST', '/api/v1/tenant-a/workflows', { key: KEY_A, text: '{"document": ', contentType: 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].line).toBe(1);
    expect((await call('POST', '/api/v1/tenant-a/workflows', { key: KEY_A, text: HELLO, contentType: 'text/plain' })).status).toBe(415);
  });

  test('definitions: list (paged), latest, versions, one version; 404 for unknown', async () => {
    const first = await call('GET', '/api/v1/tenant-a/workflows?limit=1', { key: KEY_A });
    expect(first.body.items).toEqual([{ workflow_id: 'as-json', latest_version: '1.0.0', versions: 1 }]);
    const second = await call('GET', `/api/v1/tenant-a/workflows?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`, { key: KEY_A });
    expect(second.body.items).toEqual([{ workflow_id: 'hello', latest_version: '2.0.0', versions: 2 }]);
    const latest = await call('GET', '/api/v1/tenant-a/workflows/hello', { key: KEY_A });
    expect(latest.body).toMatchObject({ workflow_id: 'hello', version: '2.0.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(latest.body.source).toContain("version: '2.0.0'");
    const versions = await call('GET', '/api/v1/tenant-a/workflows/hello/versions', { key: KEY_A });
    expect(versions.body.items.map((v: { version: string }) => v.version)).toEqual(['1.0.0', '2.0.0']);
    expect((await call('GET', '/api/v1/tenant-a/workflows/hello/versions/1.0.0', { key: KEY_A })).body.source).toBe(HELLO);
    expect((await call('GET', '/api/v1/tenant-a/workflows/hello/versions/9.9', { key: KEY_A })).status).toBe(404);
    expect((await call('GET', '/api/v1/tenant-a/workflows/nope', { key: KEY_A })).status).toBe(404);
    expect((await call('GET', '/api/v1/tenant-a/workflows/nope/versions', { key: KEY_A })).status).toBe(404);
    expect((await call('GET', '/api/v1/tenant-a/workflows?limit=0', { key: KEY_A })).status).toBe(400);
  });

  test('execute: 202 with a version; 413 naming limit and size; 400 for malformed JSON or a missing input; 404 for an unknown workflow', async () => {
    const started = await call('POST', '/api/v1/tenant-a/workflows/hello/execute', { key: KEY_A, json: { input: { name: 'Bo' }, version: '1.0.0', correlation_id: 'c-9' } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ workflow_id: 'hello', version: '1.0.0', status: 'RUNNING' });
    expect(started.headers.get('location')).toBe(`/api/v1/tenant-a/executions/${started.body.id}`);
    const state = await call('GET', `/api/v1/tenant-a/executions/${started.body.id}`, { key: KEY_A });
    expect(state.body).toMatchObject({ id: started.body.id, input: { name: 'Bo' }, correlation_id: 'c-9', workflow_version: '1.0.0', tenant_id: 'tenant-a' });

    const big = await call('POST', '/api/v1/tenant-a/workflows/hello/execute', { key: KEY_A, json: { input: { blob: 'x'.repeat(2000) } } });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ type: 'https://flunq.io/problems/payload-too-large', limit: 1024, size: 2011, limit_name: 'MAX_WORKFLOW_INPUT_SIZE' });
    const huge = await call('POST', '/api/v1/tenant-a/workflows/hello/execute', { key: KEY_A, json: { input: 'y'.repeat(4 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body.limit).toBeGreaterThan(0);

    const malformed = await call('POST', '/api/v1/tenant-a/workflows/hello/execute', { key: KEY_A, text: '{"input": ', contentType: 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe('https://flunq.io/problems/bad-request');
    const noInput = await call('POST', '/api/v1/tenant-a/workflows/hello/execute', { key: KEY_A, json: { correlation_id: 'x' } });
    expect(noInput.status).toBe(400);
    expect(noInput.body.errors[0].message).toContain('input');
    expect((await call('POST', '/api/v1/tenant-a/workflows/hello/execute', { key: KEY_A, text: 'input: 1', contentType: 'application/yaml' })).status).toBe(415);
    expect((await call('POST', '/api/v1/tenant-a/workflows/nope/execute', { key: KEY_A, json: { input: {} } })).status).toBe(404);
  });

  test('events: seed shape with cursors, envelope-only listing, one event with payloads; bad cursor is 400', async () => {
    const full = await call('GET', `/api/v1/tenant-a/executions/${executionA}/events`, { key: KEY_A });
    expect(full.body.items).toHaveLength(1);
    expect(full.body.items[0]).toMatchObject({ event_type: 'io.flunq.execution.started', sequence: 1, cursor: '1-0', data: { input: { name: 'Ada' } } });
    const envelope = await call('GET', `/api/v1/tenant-a/executions/${executionA}/events?payloads=false`, { key: KEY_A });
    expect(envelope.body.items[0].data).toEqual({ workflow_version: '1.0.0' });
    expect(envelope.body.items[0].payloads.input).toMatchObject({ encoding: 'json/plain', compression: 'none', original_size: 14 });
    expect(envelope.text).not.toContain('Ada');
    const one = await call('GET', `/api/v1/tenant-a/executions/${executionA}/events/1`, { key: KEY_A });
    expect(one.body).toEqual(full.body.items[0]);
    expect((await call('GET', `/api/v1/tenant-a/executions/${executionA}/events/2`, { key: KEY_A })).status).toBe(404);
    expect((await call('GET', `/api/v1/tenant-a/executions/${executionA}/events?after=nope`, { key: KEY_A })).status).toBe(400);
    expect((await call('GET', `/api/v1/tenant-a/executions/${executionA}/events?after=1-0`, { key: KEY_A })).body.items).toEqual([]);
  });

  test('executions listing through the ExecutionIndex port (a fake here): filters passed on, tenant kept, paging', async () => {
    const all = await call('GET', '/api/v1/tenant-a/executions', { key: KEY_A });
    expect(all.body.items.map((e: { id: string }) => e.id)).toEqual(['e-2', 'e-1']);
    expect(all.body.items[0]).toEqual({ id: 'e-2', workflow_id: 'hello', workflow_version: '1.0.0', status: 'RUNNING', created_at: new Date(2000).toISOString(), updated_at: new Date(2500).toISOString(), correlation_id: '', replay_of: 'e-1' });
    const filtered = await call('GET', '/api/v1/tenant-a/executions?status=COMPLETED&workflow_id=hello&created_after=1970-01-01T00:00:00.500Z&created_before=1970-01-01T00:00:05Z&limit=1&cursor=abc', { key: KEY_A });
    expect(filtered.body).toMatchObject({ items: [{ id: 'e-1', completed_at: new Date(1500).toISOString() }], next_cursor: 'next-1' });
    expect(index.calls.at(-1)).toEqual({ tenantId: 'tenant-a', status: ExecutionStatus.COMPLETED, workflowId: 'hello', createdFromMs: 500, createdToMs: 5000, cursor: 'abc', limit: 1 });
    expect((await call('GET', '/api/v1/tenant-a/executions?status=DONE', { key: KEY_A })).status).toBe(400);
    expect((await call('GET', '/api/v1/tenant-a/executions?created_after=yesterday', { key: KEY_A })).status).toBe(400);
  });

  test('stats: counts of the tenant over a range of whole hours, filtered by workflow; bad ranges are 400; no redis_memory without Redis', async () => {
    const before = Date.now();
    const from = new Date(before).toISOString();
    const hello = async () => (await call('GET', `/api/v1/tenant-a/stats?from=${from}&workflow_id=hello&memory=false`, { key: KEY_A })).body;
    const baseline = await hello();
    const second = await client.startExecution({ tenantId: 'tenant-a', workflowId: 'hello', input: { name: 'Stat' } });
    await client.cancelExecution(second.executionId, 'test');
    const all = await call('GET', '/api/v1/tenant-a/stats', { key: KEY_A });
    expect(all.status).toBe(200);
    expect(all.body.executions.by_status.started).toBeGreaterThanOrEqual(2);
    expect(all.body.executions.by_status.cancelled).toBeGreaterThanOrEqual(1);
    expect(all.body.executions.per_hour.length).toBeGreaterThanOrEqual(24);
    expect(all.body.payloads.size_buckets).toHaveLength(20);
    expect(all.body.redis_memory).toBeUndefined();
    const to = new Date(Date.now() + 1).toISOString();
    const range = await hello();
    const was = baseline.executions.by_workflow.hello;
    expect(range.executions.by_workflow).toEqual({ hello: { ...was, started: was.started + 1, cancelled: was.cancelled + 1 } });
    expect(Date.parse(range.from)).toBeLessThanOrEqual(before);
    expect(Date.parse(range.from) % 3_600_000).toBe(0);
    expect(range.payloads.by_direction.input).toMatchObject({
      count: baseline.payloads.by_direction.input.count + 1,
      original_bytes: baseline.payloads.by_direction.input.original_bytes + JSON.stringify({ name: 'Stat' }).length,
    });
    expect((await call('GET', `/api/v1/tenant-a/stats?workflow_id=nothing`, { key: KEY_A })).body.executions.by_workflow).toEqual({});
    expect((await call('GET', '/api/v1/tenant-b/stats', { key: KEY_B })).body.executions.by_status).toEqual({ started: 0, completed: 0, failed: 0, cancelled: 0 });
    for (const query of [`from=${to}&to=${from}`, 'from=2020-01-01T00:00:00Z&to=2020-03-01T00:00:00Z', 'from=yesterday', 'workflow_id=a:b', 'memory=maybe']) {
      const bad = await call('GET', `/api/v1/tenant-a/stats?${query}`, { key: KEY_A });
      expect(bad.status, query).toBe(400);
      expect(bad.body.type).toBe('https://flunq.io/problems/bad-request');
    }
  });

  test('SSE: heartbeat comments while idle, new events as recorded, the watch ends when the client leaves', async () => {
    const stream = await openSse(`${base}/api/v1/tenant-a/executions/${executionA}/events/stream`, KEY_A);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(stream.messages.filter((m) => m.event).map((m) => m.event)).toEqual(['io.flunq.execution.started']);
    expect(stream.messages.filter((m) => m.comment === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    const other = await client.startExecution({ tenantId: 'tenant-a', workflowId: 'hello', input: { name: 'Cy' } });
    await client.cancelExecution(executionA, 'test');
    await stream.done;
    expect(stream.messages.filter((m) => m.event).map((m) => m.event)).toEqual(['io.flunq.execution.started', 'io.flunq.execution.cancelled']);
    expect(stream.problems).toEqual([]);
    const open = await openSse(`${base}/api/v1/tenant-a/executions/${other.executionId}/events/stream`, KEY_A);
    await new Promise((resolve) => setTimeout(resolve, 50));
    open.close();
    await open.done;
    expect(open.messages.map((m) => m.event).filter(Boolean)).toEqual(['io.flunq.execution.started']);
  });

  test('unknown routes are problems too (after auth); the drift check is not vacuous', async () => {
    const unknown = await fetch(`${base}/api/v1/tenant-a/nothing-here`, { headers: { authorization: `Bearer ${KEY_A}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${base}/api/v1/tenant-a/nothing-here`)).status).toBe(401);
    // A response that drifts from the document fails the check.
    const state = (await call('GET', `/api/v1/tenant-a/executions/${executionA}`, { key: KEY_A })).body;
    expect(responseProblems('GET', `/api/v1/tenant-a/executions/${executionA}`, 200, 'application/json', state)).toEqual([]);
    expect(responseProblems('GET', `/api/v1/tenant-a/executions/${executionA}`, 200, 'application/json', { ...state, status: 'DONE' })).not.toEqual([]);
    expect(responseProblems('GET', `/api/v1/tenant-a/executions/${executionA}`, 200, 'application/json', { ...state, extra: 1 })).not.toEqual([]);
    const { completed_tasks: _dropped, ...missing } = state;
    expect(responseProblems('GET', `/api/v1/tenant-a/executions/${executionA}`, 200, 'application/json', missing)).not.toEqual([]);
    expect(responseProblems('GET', `/api/v1/tenant-a/executions/${executionA}`, 418, 'application/json', {})).not.toEqual([]);
  });
});
