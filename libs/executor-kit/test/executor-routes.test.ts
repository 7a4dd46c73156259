import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { ExecutorService } from '@flunq/proto-types';
import { jsonToPayload } from '@flunq/serializer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createExecutorClient,
  createExecutorRoutes,
  ExecutorFailure,
  ExecutorOptionsError,
  serveExecutor,
  type ExecutorClient,
  type ExecutorServer,
  type TaskContext,
} from '../src/index.js';
import { closedPort, recordingMetrics, taskRequest } from './fixtures.js';

const URI = 'https://serverlessworkflow.io/spec/1.0.0/errors/';
const metrics = recordingMetrics();
const seen: { signal?: AbortSignal; context?: TaskContext } = {};

const routes = createExecutorRoutes({
  version: '1.2.3',
  outputLimitBytes: 100,
  metrics,
  http: (input, context) => ({ via: 'http', uri: (context.task['with'] as { endpoint: string }).endpoint, input }),
  functions: {
    echo: (input, context) => {
      seen.context = context;
      return input;
    },
    nothing: () => undefined,
    flaky: () => {
      throw new ExecutorFailure({ type: 'communication', status: 503, title: 'Upstream busy', detail: 'try later', retryable: true, retryAfterMs: 250 });
    },
    invalid: () => {
      throw new ExecutorFailure({ type: 'validation', detail: 'email is missing' });
    },
    denied: () => {
      throw new ExecutorFailure({ type: 'authorization', detail: 'no access' });
    },
    custom: () => {
      throw new ExecutorFailure({ type: 'https://example.com/errors/out-of-stock', status: 409, title: 'Out of stock' });
    },
    broken: () => {
      throw new Error('undefined is not a function');
    },
    big: () => ({ text: 'x'.repeat(200) }),
    notJson: () => ({ when: 10n }),
    slow: (_input, context) => {
      seen.signal = context.signal;
      return new Promise((resolve) => setTimeout(() => resolve('late'), 5_000).unref());
    },
  },
});

let server: ExecutorServer;
let client: ExecutorClient;
beforeAll(async () => {
  server = await serveExecutor({ routes, host: '127.0.0.1', port: 0 });
  client = createExecutorClient(server.url);
});
afterAll(async () => {
  client.close();
  await server.close();
});

/** The Connect code a raw gRPC call of `functionName` fails with. */
async function rawCode(functionName: string): Promise<string> {
  const raw = createClient(ExecutorService, createGrpcTransport({ baseUrl: server.url }));
  try {
    await raw.executeTask({ taskType: 'call.function', functionName, taskId: '/do/0/x', input: jsonToPayload({}) });
    return 'OK';
  } catch (error) {
    return Code[ConnectError.from(error).code];
  }
}

describe('ExecuteTask over a real h2c server', () => {
  test('runs a function and returns its output with sizes and times', async () => {
    const before = Date.now();
    const outcome = await client.execute(taskRequest({ input: { order: 7, items: ['a'] }, attempt: 2, correlationId: 'c-9', idempotencyKey: 'ex-1//do/0/step@3' }));
    expect(outcome).toMatchObject({ ok: true, output: { order: 7, items: ['a'] }, outputBytes: 25 });
    if (!outcome.ok) throw new Error('expected success');
    expect(outcome.startedAtMs).toBeGreaterThanOrEqual(before);
    expect(outcome.completedAtMs).toBeGreaterThanOrEqual(outcome.startedAtMs);
    expect(seen.context).toMatchObject({ taskId: '/do/0/step', executionId: 'ex-1', tenantId: 'acme', attempt: 2, correlationId: 'c-9', idempotencyKey: 'ex-1//do/0/step@3', task: { call: 'echo' } });
    expect(metrics.tasks).toContain('call.function:success');
    expect(metrics.payloads).toContain('output:25');
  });

  test('dispatches call.http to the http handler; undefined output reads as null', async () => {
    const outcome = await client.execute(taskRequest({ taskType: 'call.http', functionName: '', task: { call: 'http', with: { endpoint: 'http://x/' } } }));
    expect(outcome).toMatchObject({ ok: true, output: { via: 'http', uri: 'http://x/', input: { n: 1 } } });
    expect(await client.execute(taskRequest({ functionName: 'nothing' }))).toMatchObject({ ok: true, output: null });
  });

  test('an unknown function is a non-retryable configuration error (NotFound)', async () => {
    const outcome = await client.execute(taskRequest({ functionName: 'sendFax', taskId: '/do/3/fax' }));
    expect(outcome).toMatchObject({ ok: false, retryable: false, error: { type: `${URI}configuration`, status: 400, instance: '/do/3/fax', title: 'Unknown function' } });
    expect(outcome.ok ? '' : outcome.error.detail).toMatch(/"sendFax".*serves: big, broken/);
    expect(await rawCode('sendFax')).toBe('NotFound');
  });

  test('an unknown task type is a configuration error (Unimplemented)', async () => {
    expect(await client.execute(taskRequest({ taskType: 'run.shell' }))).toMatchObject({ ok: false, retryable: false, error: { type: `${URI}configuration` } });
  });

  test('a retryable ExecutorFailure keeps its fields and retry-after (Unavailable)', async () => {
    const outcome = await client.execute(taskRequest({ functionName: 'flaky' }));
    expect(outcome).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 250,
      error: { type: `${URI}communication`, status: 503, title: 'Upstream busy', detail: 'try later', instance: '/do/0/step' },
    });
    expect(await rawCode('flaky')).toBe('Unavailable');
    expect(metrics.tasks).toContain('call.function:retryable_error');
  });

  test('non-retryable failures map by type', async () => {
    expect(await client.execute(taskRequest({ functionName: 'invalid' }))).toMatchObject({ ok: false, retryable: false, error: { type: `${URI}validation`, status: 400, detail: 'email is missing' } });
    expect(await rawCode('invalid')).toBe('InvalidArgument');
    expect(await rawCode('denied')).toBe('PermissionDenied');
    expect(await client.execute(taskRequest({ functionName: 'custom' }))).toMatchObject({ ok: false, error: { type: 'https://example.com/errors/out-of-stock', status: 409, title: 'Out of stock' } });
    expect(await rawCode('custom')).toBe('FailedPrecondition');
  });

  test('any other thrown error is a non-retryable runtime error (Internal) with its message', async () => {
    const outcome = await client.execute(taskRequest({ functionName: 'broken' }));
    expect(outcome).toMatchObject({ ok: false, retryable: false, error: { type: `${URI}runtime`, status: 500, detail: 'undefined is not a function' } });
    expect(await rawCode('broken')).toBe('Internal');
    expect(await client.execute(taskRequest({ functionName: 'notJson' }))).toMatchObject({ ok: false, error: { type: `${URI}runtime`, title: 'Task output is not JSON data' } });
  });

  test('an output over the limit is refused before replying (ResourceExhausted), sizes in the message', async () => {
    const outcome = await client.execute(taskRequest({ functionName: 'big' }));
    expect(outcome).toMatchObject({ ok: false, retryable: false, error: { type: `${URI}runtime`, status: 413, title: 'Task output too large' } });
    expect(outcome.ok ? '' : outcome.error.detail).toMatch(/211 bytes.*MAX_TASK_OUTPUT_SIZE.*100 bytes/);
    expect(await rawCode('big')).toBe('ResourceExhausted');
  });

  test('the deadline aborts the handler signal and fails the task as a retryable timeout', async () => {
    const started = Date.now();
    const outcome = await client.execute(taskRequest({ functionName: 'slow', deadlineMs: Date.now() + 200 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcome).toMatchObject({ ok: false, retryable: true, error: { type: `${URI}timeout`, status: 408, title: 'Task deadline exceeded' } });
    expect(seen.signal?.aborted).toBe(true);
  });

  test('a deadline already past fails at once without running the handler', async () => {
    seen.signal = undefined;
    const outcome = await client.execute(taskRequest({ functionName: 'slow', deadlineMs: Date.now() - 1 }));
    expect(outcome).toMatchObject({ ok: false, error: { type: `${URI}timeout` } });
  });

  test('the caller cancelling aborts the handler signal', async () => {
    const controller = new AbortController();
    const pending = client.execute(taskRequest({ functionName: 'slow' }), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, retryable: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.signal?.aborted).toBe(true);
  });

  test('DescribeExecutor lists functions and task types', async () => {
    expect(await client.describe()).toEqual({
      functions: ['big', 'broken', 'custom', 'denied', 'echo', 'flaky', 'invalid', 'notJson', 'nothing', 'slow'],
      taskTypes: ['call.http', 'call.function'],
      version: '1.2.3',
    });
  });
});

describe('the client when the executor is unreachable', () => {
  test('a refused connection is a retryable communication error', async () => {
    const down = createExecutorClient(`http://127.0.0.1:${await closedPort()}`);
    const outcome = await down.execute(taskRequest({ taskId: '/do/1/send' }));
    down.close();
    expect(outcome).toMatchObject({ ok: false, retryable: true, error: { type: `${URI}communication`, status: 500, instance: '/do/1/send' } });
  });

  test('an input that is not JSON is refused before sending, not retryable', async () => {
    expect(await client.execute(taskRequest({ input: { n: Number.NaN } }))).toMatchObject({ ok: false, retryable: false, error: { type: `${URI}validation` } });
  });
});

describe('createExecutorRoutes options', () => {
  test('refuses a bad limit and empty version, naming both', () => {
    expect(() => createExecutorRoutes({ version: ' ', outputLimitBytes: -1, functions: {} })).toThrow(ExecutorOptionsError);
    expect(() => createExecutorRoutes({ version: ' ', outputLimitBytes: -1, functions: {} })).toThrow(/version is empty; outputLimitBytes/);
  });
});
