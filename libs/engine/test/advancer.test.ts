import { workflowError } from '@flunq/dsl';
import { ExecutionStatus } from '@flunq/proto-types';
import { createPayloadSerializer, PayloadTooLargeError } from '@flunq/serializer';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { ExecutorUnavailableError } from '../src/execution/ports.js';
import { after, failed, memoryHarness, redisHarness, ScriptedRunner, SEED_INPUT, SEED_WORKFLOW, type EngineHarness } from './engine-harness.js';

const serializer = createPayloadSerializer();
const TENANT = 'tenant-a';

async function allEvents(h: EngineHarness, executionId: string) {
  return (await h.store.readEvents(executionId, { limit: 1000 })).events.map((e) => e.event);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  ['memory', () => memoryHarness()],
  ['a real Redis', () => redisHarness(inject('redisUrl'))],
])('the engine on %s', (_name, make) => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  test("runs the seed's example (set, call http, wait, set) and stores every input and output exactly as sent", async () => {
    h = make();
    await h.client.registerDefinition(TENANT, SEED_WORKFLOW);
    const runner = new ScriptedRunner((request) => after(5, { user: { id: (request.input as { user_id: string }).user_id, name: 'Ada' } }));
    const started = await h.client.startExecution({ tenantId: TENANT, workflowId: 'simple-test-workflow', input: SEED_INPUT, correlationId: 'corr-1' });
    expect(h.scheduler.scheduled).toEqual([{ executionId: started.executionId, key: 'start', delayMs: 0 }]);

    const advancer = h.advancer(runner);
    const first = await advancer.advance(started.executionId);
    expect(first.status).toBe('running');
    const wake = h.scheduler.scheduled.at(-1)!;
    expect(wake.key).toMatch(/^\/do\/2\/pause@\d+$/);
    expect(wake.delayMs).toBeGreaterThan(0);
    await sleep(60);
    expect(await advancer.advance(started.executionId)).toMatchObject({ status: 'completed' });

    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]).toMatchObject({ pointer: '/do/1/fetchUser', task: { with: { endpoint: 'https://api.test/users/{user_id}' } }, input: SEED_INPUT, attempt: 1 });

    const events = await allEvents(h, started.executionId);
    expect(events.map((e) => `${e.type} ${e.taskId}`.trim())).toEqual([
      'io.flunq.execution.started',
      'io.flunq.task.completed /do/0/initialize',
      'io.flunq.task.started /do/1/fetchUser',
      'io.flunq.task.completed /do/1/fetchUser',
      'io.flunq.task.started /do/2/pause',
      'io.flunq.task.completed /do/2/pause',
      'io.flunq.task.completed /do/3/finalize',
      'io.flunq.execution.completed',
    ]);
    expect(events.every((e) => e.tenantId === TENANT && e.correlationId === 'corr-1' && e.workflowId === 'simple-test-workflow')).toBe(true);
    const started0 = events[0]!.data;
    expect(started0.case === 'executionStarted' && serializer.fromPayload(started0.value.input)).toEqual(SEED_INPUT);
    const fetch = events[3]!.data;
    expect(fetch.case === 'taskCompleted' && serializer.fromPayload(fetch.value.inputData)).toEqual(SEED_INPUT);
    expect(fetch.case === 'taskCompleted' && serializer.fromPayload(fetch.value.outputData)).toEqual({ user: { id: 'test-user-456', name: 'Ada' } });

    const state = (await h.store.readState(started.executionId))!;
    expect(state.status).toBe(ExecutionStatus.COMPLETED);
    expect(serializer.fromPayload(state.input)).toEqual(SEED_INPUT);
    expect(serializer.fromPayload(state.output)).toEqual({ result: 'workflow completed successfully', user: 'test-user-456' });
    expect(state.completedTasks.map((t) => [t.taskName, serializer.fromPayload(t.input), serializer.fromPayload(t.output)])).toEqual([
      ['initialize', SEED_INPUT, SEED_INPUT],
      ['fetchUser', SEED_INPUT, { user: { id: 'test-user-456', name: 'Ada' } }],
      ['pause', { user: { id: 'test-user-456', name: 'Ada' } }, { user: { id: 'test-user-456', name: 'Ada' } }],
      ['finalize', { user: { id: 'test-user-456', name: 'Ada' } }, { result: 'workflow completed successfully', user: 'test-user-456' }],
    ]);
    const pause = state.completedTasks[2]!;
    expect(Number(pause.completedAtMs - pause.startedAtMs)).toBeGreaterThanOrEqual(50);
    expect(state.version).toBe(BigInt(events.length));
  });

  test('fork branches call their executors at the same time; the output lists both', async () => {
    h = make();
    await h.client.registerDefinition(
      TENANT,
      `document: { dsl: '1.0.0', namespace: t, name: fan-out, version: '1.0.0' }
do:
  - both:
      fork:
        branches:
          - a: { call: http, with: { method: get, endpoint: 'http://a.test/' } }
          - b: { call: http, with: { method: get, endpoint: 'http://b.test/' } }
`,
    );
    const runner = new ScriptedRunner((request) => after(30, { from: request.taskName }));
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'fan-out', input: {} });
    expect(await h.advancer(runner).advance(executionId)).toMatchObject({ status: 'completed' });
    expect(runner.maxInFlight).toBe(2);
    const state = (await h.store.readState(executionId))!;
    expect(serializer.fromPayload(state.output)).toEqual([{ from: 'a' }, { from: 'b' }]);
  });

  test('two advancers racing on one execution record each task exactly once', async () => {
    h = make();
    await h.client.registerDefinition(
      TENANT,
      `document: { dsl: '1.0.0', namespace: t, name: chain, version: '1.0.0' }
do:
${[0, 1, 2, 3, 4].map((i) => `  - step${i}: { call: http, with: { method: get, endpoint: 'http://s${i}.test/' } }`).join('\n')}
`,
    );
    const runner = new ScriptedRunner((request) => after(Math.random() * 10, { step: request.taskName }));
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'chain', input: {} });
    const results = await Promise.all([h.advancer(runner).advance(executionId), h.advancer(runner).advance(executionId)]);
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed']);
    const events = await allEvents(h, executionId);
    const completed = events.filter((e) => e.type === 'io.flunq.task.completed').map((e) => e.taskId);
    expect(completed).toEqual(['/do/0/step0', '/do/1/step1', '/do/2/step2', '/do/3/step3', '/do/4/step4']);
    expect((await h.store.readState(executionId))!.completedTasks).toHaveLength(5);
  });

  test('a task output over the limit fails that task with a clear error; nothing oversized is stored', async () => {
    h = make();
    await h.client.registerDefinition(TENANT, `document: { dsl: '1.0.0', namespace: t, name: big, version: '1.0.0' }\ndo:\n  - fetch: { call: http, with: { method: get, endpoint: 'http://big.test/' } }\n`);
    const runner = new ScriptedRunner(() => ({ ok: true, output: { blob: 'x'.repeat(100 * 1024) }, startedAtMs: 1, completedAtMs: 2 }));
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'big', input: {} });
    expect(await h.advancer(runner).advance(executionId)).toMatchObject({ status: 'failed' });
    const state = (await h.store.readState(executionId))!;
    expect(state.error).toMatchObject({ status: 413, instance: '/do/0/fetch', title: 'Task output cannot be stored' });
    expect(state.error?.detail).toMatch(/64 KiB|65536/);
    // The failed attempt is in the trace, with its error and without the oversized output.
    expect(state.completedTasks.map((t) => [t.taskName, t.error?.status, t.output])).toEqual([['fetch', 413, undefined]]);
    const types = (await allEvents(h, executionId)).map((e) => e.type);
    expect(types).toEqual(['io.flunq.execution.started', 'io.flunq.task.started', 'io.flunq.task.failed', 'io.flunq.execution.failed']);
  });

  test('a workflow input over the limit is refused before anything is written', async () => {
    h = make();
    await h.client.registerDefinition(TENANT, SEED_WORKFLOW);
    await expect(h.client.startExecution({ tenantId: TENANT, workflowId: 'simple-test-workflow', input: { blob: 'x'.repeat(300 * 1024) }, executionId: 'too-big' })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(await h.store.readState('too-big')).toBeUndefined();
    expect(h.scheduler.scheduled).toEqual([]);
  });

  test('an executor error goes through try/catch; uncaught it fails the execution with the RFC 7807 error', async () => {
    h = make();
    await h.client.registerDefinition(TENANT, `document: { dsl: '1.0.0', namespace: t, name: boom, version: '1.0.0' }\ndo:\n  - fetch: { call: http, with: { method: get, endpoint: 'http://boom.test/' } }\n`);
    const error = workflowError('communication', '/do/0/fetch', { status: 404, title: 'Not Found' }).problem;
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'boom', input: {} });
    expect(await h.advancer(new ScriptedRunner(() => failed(error))).advance(executionId)).toMatchObject({ status: 'failed' });
    const events = await allEvents(h, executionId);
    expect(events.at(-1)?.type).toBe('io.flunq.execution.failed');
    expect((await h.store.readState(executionId))!.error).toMatchObject({ type: error.type, status: 404, title: 'Not Found', instance: '/do/0/fetch' });
  });

  test('an unreachable executor records nothing and is retried later; the next attempt completes', async () => {
    h = make();
    await h.client.registerDefinition(TENANT, `document: { dsl: '1.0.0', namespace: t, name: down, version: '1.0.0' }\ndo:\n  - fetch: { call: http, with: { method: get, endpoint: 'http://down.test/' } }\n`);
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'down', input: {} });
    const down = new ScriptedRunner(() => {
      throw new ExecutorUnavailableError('/do/0/fetch', 'connection refused');
    });
    await expect(h.advancer(down).advance(executionId)).rejects.toBeInstanceOf(ExecutorUnavailableError);
    const before = await allEvents(h, executionId);
    expect(before.map((e) => e.type)).toEqual(['io.flunq.execution.started', 'io.flunq.task.started']);
    const up = new ScriptedRunner(() => after(1, { ok: 1 }));
    expect(await h.advancer(up).advance(executionId)).toMatchObject({ status: 'completed' });
    expect(up.calls[0]?.idempotencyKey).toBe(down.calls[0]?.idempotencyKey);
  });

  test('cancel stops the in-flight task and ends the execution; its late result is not recorded', async () => {
    h = make();
    await h.client.registerDefinition(TENANT, `document: { dsl: '1.0.0', namespace: t, name: slow, version: '1.0.0' }\ndo:\n  - fetch: { call: http, with: { method: get, endpoint: 'http://slow.test/' } }\n  - after: { set: { done: true } }\n`);
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'slow', input: {} });
    let aborted = false;
    const runner = new ScriptedRunner(
      (_request, signal) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => resolve({ ok: true, output: 'late', startedAtMs: 0, completedAtMs: 0 }), 2000);
          signal.addEventListener('abort', () => {
            aborted = true;
            clearTimeout(timer);
            resolve(failed(workflowError('runtime', '/do/0/fetch', { title: 'aborted' }).problem));
          });
        }),
    );
    const advancer = h.advancer(runner);
    const running = advancer.advance(executionId);
    await sleep(50);
    expect(await h.client.cancelExecution(executionId, 'operator said so')).toBe('cancelled');
    advancer.abort(executionId);
    expect(await running).toMatchObject({ status: 'cancelled' });
    expect(aborted).toBe(true);
    const events = await allEvents(h, executionId);
    expect(events.map((e) => e.type)).toEqual(['io.flunq.execution.started', 'io.flunq.task.started', 'io.flunq.execution.cancelled']);
    expect((await h.store.readState(executionId))!.status).toBe(ExecutionStatus.CANCELLED);
    expect(await h.client.cancelExecution(executionId)).toBe('cancelled');
  });

  test('a retry back-off is a scheduled wake-up; the next attempt runs when it is due', async () => {
    h = make();
    await h.client.registerDefinition(
      TENANT,
      `document: { dsl: '1.0.0', namespace: t, name: flaky, version: '1.0.0' }
do:
  - guard:
      try:
        - fetch: { call: http, with: { method: get, endpoint: 'http://flaky.test/' } }
      catch:
        errors: { with: { status: 503 } }
        retry: { delay: PT0.05S, backoff: { constant: {} }, limit: { attempt: { count: 3 } } }
`,
    );
    const outage = workflowError('communication', '/do/0/guard/try/0/fetch', { status: 503 }).problem;
    const runner = new ScriptedRunner((request) => (request.attempt < 3 ? failed(outage, true) : after(1, { attempt: request.attempt })));
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'flaky', input: {} });
    const advancer = h.advancer(runner);
    expect(await advancer.advance(executionId)).toMatchObject({ status: 'running' });
    expect(h.scheduler.scheduled.at(-1)).toMatchObject({ key: '/do/0/guard#attempt-2' });
    await sleep(60);
    await advancer.advance(executionId);
    expect(h.scheduler.scheduled.at(-1)).toMatchObject({ key: '/do/0/guard#attempt-3' });
    await sleep(60);
    expect(await advancer.advance(executionId)).toMatchObject({ status: 'completed' });
    expect(runner.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const state = (await h.store.readState(executionId))!;
    expect(serializer.fromPayload(state.output)).toEqual({ attempt: 3 });
    expect(state.completedTasks.filter((t) => t.taskName === 'fetch').map((t) => [t.attempt, t.error?.status ?? 'ok'])).toEqual([
      [1, 503],
      [2, 503],
      [3, 'ok'],
    ]);
    const types = (await allEvents(h, executionId)).map((e) => e.type);
    expect(types.filter((t) => t === 'io.flunq.task.retrying')).toHaveLength(2);
  });

  test('an execution runs the definition version it started with, even after a newer one is registered', async () => {
    h = make();
    const v1 = `document: { dsl: '1.0.0', namespace: t, name: versioned, version: '1.0.0' }\ndo:\n  - which: { set: { version: one } }\n`;
    await h.client.registerDefinition(TENANT, v1);
    const { executionId, version } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'versioned', input: {} });
    expect(version).toBe('1.0.0');
    await h.client.registerDefinition(TENANT, v1.replace("version: '1.0.0'", "version: '2.0.0'").replace('version: one', 'version: two'));
    await h.advancer(new ScriptedRunner(() => after(1, {}))).advance(executionId);
    expect(serializer.fromPayload((await h.store.readState(executionId))!.output)).toEqual({ version: 'one' });
    const next = await h.client.startExecution({ tenantId: TENANT, workflowId: 'versioned', input: {} });
    expect(next.version).toBe('2.0.0');
  });

  test('a compete fork stops the losing branch\'s call as soon as the winner is recorded', async () => {
    h = make();
    await h.client.registerDefinition(
      TENANT,
      `document: { dsl: '1.0.0', namespace: t, name: race, version: '1.0.0' }
do:
  - race:
      fork:
        compete: true
        branches:
          - slow: { call: http, with: { method: get, endpoint: 'http://slow.test/' } }
          - fast: { call: http, with: { method: get, endpoint: 'http://fast.test/' } }
`,
    );
    let slowAborted = false;
    const runner = new ScriptedRunner((request, signal) => {
      if (request.taskName === 'fast') return after(10, { winner: 'fast' });
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ ok: true, output: { winner: 'slow' }, startedAtMs: 0, completedAtMs: 0 }), 10_000);
        signal.addEventListener('abort', () => {
          slowAborted = true;
          clearTimeout(timer);
          resolve(failed(workflowError('runtime', request.pointer, { title: 'aborted' }).problem));
        });
      });
    });
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'race', input: {} });
    const started = Date.now();
    expect(await h.advancer(runner).advance(executionId)).toMatchObject({ status: 'completed' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(slowAborted).toBe(true);
    expect(serializer.fromPayload((await h.store.readState(executionId))!.output)).toEqual({ winner: 'fast' });
  });

  test('the listing shows an execution from its start to its end, newest first, per tenant', async () => {
    h = make();
    await h.client.registerDefinition(TENANT, SEED_WORKFLOW.replace('wait: PT0.05S', 'wait: PT0S'));
    const first = await h.client.startExecution({ tenantId: TENANT, workflowId: 'simple-test-workflow', input: SEED_INPUT });
    const second = await h.client.startExecution({ tenantId: TENANT, workflowId: 'simple-test-workflow', input: SEED_INPUT, correlationId: 'c-2' });
    expect((await h.index.list({ tenantId: TENANT, status: ExecutionStatus.RUNNING })).items.map((i) => i.executionId).sort()).toEqual([first.executionId, second.executionId].sort());
    await h.advancer(new ScriptedRunner(() => after(1, { user: { id: 'u' } }))).advance(first.executionId);
    expect((await h.index.list({ tenantId: TENANT, status: ExecutionStatus.COMPLETED })).items.map((i) => i.executionId)).toEqual([first.executionId]);
    expect((await h.index.list({ tenantId: TENANT, status: ExecutionStatus.RUNNING })).items.map((i) => i.executionId)).toEqual([second.executionId]);
    expect(await h.index.get(TENANT, second.executionId)).toMatchObject({ workflowId: 'simple-test-workflow', workflowVersion: '1.0.0', correlationId: 'c-2' });
    expect((await h.index.list({ tenantId: 'another-tenant' })).items).toEqual([]);
    await h.client.cancelExecution(second.executionId);
    expect((await h.index.get(TENANT, second.executionId))?.status).toBe(ExecutionStatus.CANCELLED);
  });
});
