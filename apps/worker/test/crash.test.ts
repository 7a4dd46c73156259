import { ExecutionStatus } from '@flunq/proto-types';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { deployment, freePort, startService, waitFor, type ServiceProcess } from '@flunq/stack-testing';

const EXECUTIONS = 40;
const TASKS = ['first', 'nap1', 'second', 'nap2', 'third', 'nap3'];
const DEFINITION = `document: { dsl: '1.0.0', namespace: t, name: crashy, version: '1.0.0' }
do:
  - first: { call: echo, input: { from: '\${ { n: $workflow.input.n, step: 1 } }' } }
  - nap1: { call: sleep, input: { from: '\${ { ms: 150 } }' } }
  - second: { call: echo, input: { from: '\${ { n: $workflow.input.n, step: 2 } }' } }
  - nap2: { call: sleep, input: { from: '\${ { ms: 150 } }' } }
  - third: { call: echo, input: { from: '\${ { n: $workflow.input.n, step: 3 } }' } }
  - nap3: { call: sleep, input: { from: '\${ { ms: 150 } }' } }
`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('crash safety: kill -9 of workers and the executor, on real processes', () => {
  const stack = deployment(inject('redisUrl'));
  const processes: ServiceProcess[] = [];
  let executorUrl: string;
  let executorPort: number;

  const startExecutor = async () => {
    const executor = await startService('executor', { FLUNQ_EXECUTOR_PORT: String(executorPort), FLUNQ_EXECUTOR_METRICS_PORT: '0' }, 'executor listening');
    processes.push(executor);
    return executor;
  };
  const startWorker = async () => {
    const worker = await startService('worker', { ...stack.workerEnv(executorUrl), FLUNQ_WORKER_CONCURRENCY: '8', LOG_LEVEL: 'info' }, 'worker started');
    processes.push(worker);
    return worker;
  };

  beforeAll(async () => {
    executorPort = await freePort();
    executorUrl = `http://127.0.0.1:${executorPort}`;
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill9()));
    await stack.close();
  });

  test('every execution completes, and each task is recorded exactly once in state and stream', async () => {
    let executor = await startExecutor();
    const [workerA, workerB] = await Promise.all([startWorker(), startWorker()]);
    await stack.client.registerDefinition('tenant-a', DEFINITION);
    const ids: string[] = [];
    for (let n = 0; n < EXECUTIONS; n++) ids.push((await stack.client.startExecution({ tenantId: 'tenant-a', workflowId: 'crashy', input: { n } })).executionId);

    // Each kill must land while executions are in flight, or it proves nothing.
    const running = async () => {
      const states = await Promise.all(ids.map((id) => stack.store.readState(id)));
      return states.filter((s) => s?.status === ExecutionStatus.RUNNING).length;
    };
    const inFlightAtKill: number[] = [];
    await pause(300);
    inFlightAtKill.push(await running());
    await workerA!.kill9();
    const workerC = await startWorker();
    await pause(300);
    inFlightAtKill.push(await running());
    await executor.kill9();
    await pause(500);
    executor = await startExecutor();
    await pause(200);
    inFlightAtKill.push(await running());
    await workerB!.kill9();
    await pause(300);
    await workerC.kill9();
    await startWorker();
    expect(inFlightAtKill.every((n) => n > 0), `executions running at each kill: ${inFlightAtKill.join(', ')}`).toBe(true);

    for (const id of ids) {
      const state = await waitFor(
        `execution ${id} to complete`,
        async () => {
          const current = await stack.store.readState(id);
          return current && current.status !== ExecutionStatus.RUNNING && current.status !== ExecutionStatus.PENDING ? current : undefined;
        },
        60_000,
      );
      expect(state.status, `execution ${id}: ${state.error?.title} ${state.error?.detail}`).toBe(ExecutionStatus.COMPLETED);
      expect(state.completedTasks.map((t) => t.taskName)).toEqual(TASKS);
      const { events } = await stack.store.readEvents(id, { limit: 1000 });
      const completions = events.filter(({ event }) => event.type === 'io.flunq.task.completed').map(({ event }) => event.taskId);
      expect(completions).toEqual(TASKS.map((name, index) => `/do/${index}/${name}`));
      const dispatches = events.filter(({ event }) => event.type === 'io.flunq.task.started').map(({ event }) => event.taskId);
      expect(dispatches).toEqual(completions);
      expect(events.map(({ event }) => event.type).filter((t) => t.startsWith('io.flunq.execution.'))).toEqual(['io.flunq.execution.started', 'io.flunq.execution.completed']);
      expect(state.version).toBe(BigInt(events.length));
    }
  }, 120_000);
});
