import { createServer, type Server } from 'node:http';
import { ExecutionStatus } from '@flunq/proto-types';
import { createPayloadSerializer } from '@flunq/serializer';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { SEED_EXAMPLE_INPUT, seedExampleWorkflow } from '@flunq/redis-store/testing';
import { deployment, startService, waitFor, type ServiceProcess } from '@flunq/stack-testing';

const SEED_INPUT = SEED_EXAMPLE_INPUT;

const serializer = createPayloadSerializer();

describe('end to end: real worker and executor processes, a real Redis', () => {
  const stack = deployment(inject('redisUrl'));
  let api: Server;
  let apiUrl: string;
  let executor: ServiceProcess;
  let worker: ServiceProcess;
  const requests: string[] = [];

  beforeAll(async () => {
    api = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const id = /^\/users\/([^/]+)$/.exec(request.url ?? '')?.[1];
      response.writeHead(id ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(id ? { id, name: 'Ada Lovelace', tier: 'gold' } : { error: 'no such user' }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
    executor = await startService('executor', { FLUNQ_EXECUTOR_PORT: '0', FLUNQ_EXECUTOR_METRICS_PORT: '0' }, 'executor listening');
    worker = await startService('worker', stack.workerEnv(String(executor.ready['rpcUrl'])), 'worker started');
  }, 60_000);

  afterAll(async () => {
    await Promise.all([worker?.stop(), executor?.stop()]);
    await stack.close();
    await new Promise((resolve) => api.close(resolve));
  });

  test("runs the seed's example (set, call http, wait, set) and stores every input and output exactly as sent", async () => {
    const definition = seedExampleWorkflow({ endpoint: `${apiUrl}/users/{user_id}`, wait: 'PT0.2S', finalUser: '.name' });
    await stack.client.registerDefinition('tenant-a', definition);
    const { executionId } = await stack.client.startExecution({ tenantId: 'tenant-a', workflowId: 'simple-test-workflow', input: SEED_INPUT, correlationId: 'postman-1' });
    const state = await waitFor('the execution to complete', async () => {
      const current = await stack.store.readState(executionId);
      return current && current.status === ExecutionStatus.COMPLETED ? current : undefined;
    });

    expect(requests).toEqual(['GET /users/test-user-456']);
    expect(serializer.fromPayload(state.input)).toEqual(SEED_INPUT);
    expect(serializer.fromPayload(state.output)).toEqual({ result: 'workflow completed successfully', user: 'Ada Lovelace' });
    const user = { id: 'test-user-456', name: 'Ada Lovelace', tier: 'gold' };
    expect(state.completedTasks.map((t) => [t.taskName, serializer.fromPayload(t.input), serializer.fromPayload(t.output)])).toEqual([
      ['initialize', SEED_INPUT, SEED_INPUT],
      ['fetchUser', SEED_INPUT, user],
      ['pause', user, user],
      ['finalize', user, { result: 'workflow completed successfully', user: 'Ada Lovelace' }],
    ]);
    const pause = state.completedTasks[2]!;
    expect(Number(pause.completedAtMs - pause.startedAtMs)).toBeGreaterThanOrEqual(200);

    const { events } = await stack.store.readEvents(executionId, { limit: 100 });
    expect(events.map(({ event }) => [event.type, event.taskId])).toEqual([
      ['io.flunq.execution.started', ''],
      ['io.flunq.task.completed', '/do/0/initialize'],
      ['io.flunq.task.started', '/do/1/fetchUser'],
      ['io.flunq.task.completed', '/do/1/fetchUser'],
      ['io.flunq.task.started', '/do/2/pause'],
      ['io.flunq.task.completed', '/do/2/pause'],
      ['io.flunq.task.completed', '/do/3/finalize'],
      ['io.flunq.execution.completed', ''],
    ]);
    for (const { event } of events) expect(event).toMatchObject({ tenantId: 'tenant-a', workflowId: 'simple-test-workflow', executionId, correlationId: 'postman-1' });
    const fetched = events[3]!.event.data;
    expect(fetched.case).toBe('taskCompleted');
    if (fetched.case === 'taskCompleted') {
      expect(serializer.fromPayload(fetched.value.inputData)).toEqual(SEED_INPUT);
      expect(serializer.fromPayload(fetched.value.outputData)).toEqual(user);
    }

    const metrics = await (await fetch(`${String(worker.ready['opsUrl'])}/metrics`)).text();
    expect(metrics).toMatch(/^flunq_tasks_total\{task_type="call",outcome="success",service="worker"\} 1$/m);
    expect(metrics).toMatch(/^flunq_tasks_total\{task_type="set",outcome="success",service="worker"\} 2$/m);
    expect(worker.lines.find((l) => l['msg'] === 'execution completed')).toMatchObject({ executionId, tenantId: 'tenant-a' });
  });

  test('cancelling a running execution stops its in-flight task', async () => {
    await stack.client.registerDefinition('tenant-a', `document: { dsl: '1.0.0', namespace: t, name: long-sleep, version: '1.0.0' }\ndo:\n  - nap: { call: sleep, input: { from: '\${ { ms: 60000 } }' } }\n  - never: { set: { reached: true } }\n`);
    const { executionId } = await stack.client.startExecution({ tenantId: 'tenant-a', workflowId: 'long-sleep', input: {} });
    const dispatched = async () => (await stack.store.readEvents(executionId, { limit: 10 })).events.some(({ event }) => event.type === 'io.flunq.task.started');
    await waitFor('the sleep to be dispatched', async () => ((await dispatched()) ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    expect(await stack.client.cancelExecution(executionId, 'test')).toBe('cancelled');
    await waitFor('the worker to log the aborted call', async () => (worker.lines.some((l) => l['executionId'] === executionId && l['msg'] === 'step done') ? true : undefined));
    expect(Date.now() - started).toBeLessThan(10_000);
    const { events } = await stack.store.readEvents(executionId, { limit: 100 });
    expect(events.map(({ event }) => `${event.type} ${event.taskId}`.trim())).toEqual(['io.flunq.execution.started', 'io.flunq.task.started /do/0/nap', 'io.flunq.execution.cancelled']);
  });
});
