import { equals } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { ExecutionStatus, IoApiService, WorkflowStateSchema, type Payload, type WorkflowEvent, type WorkflowState } from '@flunq/proto-types';
import { createPayloadSerializer } from '@flunq/serializer';
import { deployment, startService, waitFor, type ServiceProcess } from '@flunq/stack-testing';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { STEPS_FLOW } from './flows.js';
import { apiClient } from './http.js';

const KEY = 'rpc-key-a-0123456789abcdef';
const KEY_B = 'rpc-key-b-0123456789abcdef';
const WRONG = 'rpc-key-x-0123456789abcdef';
const FLOW = STEPS_FLOW;
const LONG = `document: { dsl: '1.0.0', namespace: t, name: long-sleep, version: '1.0.0' }\ndo:\n  - nap: { call: sleep, input: { from: '\${ { ms: 60000 } }' } }\n  - never: { set: { reached: true } }\n`;

const serializer = createPayloadSerializer();
const decode = (payload: Payload | undefined): unknown => (payload ? serializer.fromPayload(payload) : undefined);
const auth = (key: string | undefined, scheme = 'Bearer'): { headers: Record<string, string> } => ({ headers: key === undefined ? {} : { authorization: `${scheme} ${key}` } });
const as = (key: string) => auth(key);
const FINAL = ['io.flunq.execution.completed', 'io.flunq.execution.failed', 'io.flunq.execution.cancelled'];

/** The typed data of an event with its payloads decoded, to compare with the REST view's `data`. */
function decodedData(event: WorkflowEvent): Record<string, unknown> {
  const { data } = event;
  switch (data.case) {
    case 'executionStarted':
      return { input: decode(data.value.input) };
    case 'taskStarted':
      return { task_name: data.value.taskName, input_data: decode(data.value.inputData) };
    case 'taskCompleted':
      return { task_name: data.value.taskName, input_data: decode(data.value.inputData), output_data: decode(data.value.outputData) };
    case 'executionCompleted':
      return { output: decode(data.value.output) };
    default:
      return {};
  }
}

/** What it takes for a call to be refused: the Connect error, never an answer. */
async function refused(call: () => Promise<unknown>): Promise<ConnectError> {
  try {
    const answer = await call();
    throw new Error(`answered: ${JSON.stringify(answer, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 300)}`);
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    return error;
  }
}

describe('IoApiService over Connect: real io-api, worker and executor processes, a real Redis', () => {
  const stack = deployment(inject('redisUrl'));
  let executor: ServiceProcess;
  let worker: ServiceProcess;
  let api: ServiceProcess;
  const base = () => String(api.ready['url']);
  const call = apiClient(base);
  let rpc: Client<typeof IoApiService>;
  let rpcBinary: Client<typeof IoApiService>;
  let rpcGrpcWeb: Client<typeof IoApiService>;
  const finished = async (id: string) =>
    waitFor(`execution ${id} to finish`, async () => {
      const state = await call('GET', `/api/v1/tenant-a/executions/${id}`, { key: KEY });
      return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(state.body.status) ? state.body : undefined;
    });
  const execute = async (input: unknown, workflow = 'steps'): Promise<string> => {
    const started = await call('POST', `/api/v1/tenant-a/workflows/${workflow}/execute`, { key: KEY, json: { input } });
    expect(started.status).toBe(202);
    return started.body.id;
  };
  const restEvents = async (id: string): Promise<any[]> => (await call('GET', `/api/v1/tenant-a/executions/${id}/events?limit=1000`, { key: KEY })).body.items;

  beforeAll(async () => {
    executor = await startService('executor', { FLUNQ_EXECUTOR_PORT: '0', FLUNQ_EXECUTOR_METRICS_PORT: '0' }, 'executor listening');
    worker = await startService('worker', stack.workerEnv(String(executor.ready['rpcUrl'])), 'worker started');
    api = await startService('io-api', stack.apiEnv(`${KEY}=tenant-a,${KEY_B}=tenant-b`), 'io-api listening');
    rpc = createClient(IoApiService, createConnectTransport({ baseUrl: base(), httpVersion: '1.1' }));
    rpcBinary = createClient(IoApiService, createConnectTransport({ baseUrl: base(), httpVersion: '1.1', useBinaryFormat: true }));
    rpcGrpcWeb = createClient(IoApiService, createGrpcWebTransport({ baseUrl: base(), httpVersion: '1.1' }));
    expect((await call('POST', '/api/v1/tenant-a/workflows', { key: KEY, text: FLOW })).status).toBe(201);
    expect((await call('POST', '/api/v1/tenant-a/workflows', { key: KEY, text: LONG })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop(), executor?.stop()]);
    await stack.close();
  });

  test('GetExecution, ListEvents, GetStateAt: the stored records, equal to what the REST view shows (JSON, binary, gRPC-Web)', async () => {
    const id = await execute({ name: 'Ada' });
    const rest = await finished(id);
    const events = await restEvents(id);

    for (const client of [rpc, rpcBinary, rpcGrpcWeb]) {
      const { state } = await client.getExecution({ executionId: id }, as(KEY));
      expect(state).toBeDefined();
      expect(state).toMatchObject({ id, tenantId: 'tenant-a', workflowId: 'steps', workflowVersion: '1.0.0', status: ExecutionStatus.COMPLETED, version: BigInt(rest.version) });
      expect(decode(state!.input)).toEqual(rest.input);
      expect(decode(state!.output)).toEqual(rest.output);
      expect(decode(state!.output)).toMatchObject({ greeting: 'Hello Ada' });
      // Hydrated: every completed task's input and output are there, equal to the REST view's.
      expect(state!.completedTasks.map((t) => t.taskName)).toEqual(rest.completed_tasks.map((t: { task_name: string }) => t.task_name));
      state!.completedTasks.forEach((task, i) => {
        expect(task.input?.data.length, task.taskName).toBeGreaterThan(0);
        expect(decode(task.input)).toEqual(rest.completed_tasks[i].input);
        expect(decode(task.output)).toEqual(rest.completed_tasks[i].output);
      });
    }

    // Paged events: the same events, in the same order, with their payload bytes.
    const listed: WorkflowEvent[] = [];
    let after = '';
    let lastCursor = '';
    do {
      const page = await rpcBinary.listEvents({ executionId: id, after, limit: 3 }, as(KEY));
      expect(page.events.length).toBeLessThanOrEqual(3);
      listed.push(...page.events);
      lastCursor = page.lastCursor;
      after = page.nextCursor;
    } while (after);
    expect(listed.length).toBe(events.length);
    expect(listed.length).toBe(rest.version);
    expect(lastCursor).toBe(events.at(-1).cursor);
    listed.forEach((event, i) => {
      expect(Number(event.sequence)).toBe(events[i].sequence);
      expect(event.type).toBe(events[i].event_type);
      expect(event.id).toBe(events[i].id);
      expect(events[i].data).toMatchObject(decodedData(event));
    });
    const echo = listed.find((e) => e.data.case === 'taskCompleted' && e.data.value.taskName === 'echo')!;
    expect(echo.data.case === 'taskCompleted' && echo.data.value.outputData!.data.length).toBeGreaterThan(0);
    const oneByOne = await rpc.listEvents({ executionId: id, after: events[1].cursor, limit: 1 }, as(KEY));
    expect(oneByOne.events.map((e) => Number(e.sequence))).toEqual([3]);
    expect(oneByOne.lastCursor).toBe(events[2].cursor);

    // Time travel: the state after every event N, ending at the stored state.
    const { state: current } = await rpcBinary.getExecution({ executionId: id }, as(KEY));
    let at: WorkflowState | undefined;
    for (let n = 1; n <= rest.version; n++) {
      at = (await rpcBinary.getStateAt({ executionId: id, at: BigInt(n) }, as(KEY))).state;
      const view = (await call('GET', `/api/v1/tenant-a/executions/${id}/state?at=${n}`, { key: KEY })).body;
      expect(Number(at!.version)).toBe(n);
      expect(at!.completedTasks.length).toBe(view.completed_tasks.length);
      at!.completedTasks.forEach((task, i) => expect(decode(task.output)).toEqual(view.completed_tasks[i].output));
      expect(decode(at!.input)).toEqual(view.input);
    }
    expect(equals(WorkflowStateSchema, at!, current!)).toBe(true);
    for (const n of [0n, BigInt(rest.version + 1)]) expect((await refused(() => rpc.getStateAt({ executionId: id, at: n }, as(KEY)))).code).toBe(Code.InvalidArgument);
    expect((await refused(() => rpc.listEvents({ executionId: id, after: 'not-a-cursor' }, as(KEY)))).code).toBe(Code.InvalidArgument);
    expect((await refused(() => rpc.listEvents({ executionId: id, limit: 1001 }, as(KEY)))).code).toBe(Code.InvalidArgument);
    expect((await refused(() => rpc.getExecution({ executionId: '' }, as(KEY)))).code).toBe(Code.InvalidArgument);
  });

  test('ListExecutions and GetDefinition: what GET /executions and GET /workflows/{id} show', async () => {
    const since = Date.now();
    const ids: string[] = [];
    for (const name of ['L1', 'L2', 'L3']) ids.push(await execute({ name }));
    const page1 = await rpc.listExecutions({ workflowId: 'steps', createdAfterMs: BigInt(since), limit: 2 }, as(KEY));
    expect(page1.executions.map((e) => e.executionId)).toEqual([ids[2], ids[1]]);
    const rest1 = (await call('GET', `/api/v1/tenant-a/executions?workflow_id=steps&created_after=${new Date(since).toISOString()}&limit=2`, { key: KEY })).body;
    expect(page1.executions.map((e) => e.executionId)).toEqual(rest1.items.map((e: { id: string }) => e.id));
    page1.executions.forEach((e, i) => {
      expect(new Date(Number(e.createdAtMs)).toISOString()).toBe(rest1.items[i].created_at);
      expect(ExecutionStatus[e.status]).toBe(rest1.items[i].status);
      expect(e.workflowVersion).toBe(rest1.items[i].workflow_version);
    });
    expect(page1.nextCursor).not.toBe('');
    const page2 = await rpc.listExecutions({ workflowId: 'steps', createdAfterMs: BigInt(since), limit: 2, cursor: page1.nextCursor }, as(KEY));
    expect(page2.executions.map((e) => e.executionId)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBe('');
    expect((await rpc.listExecutions({ createdAfterMs: BigInt(since), createdBeforeMs: BigInt(since) }, as(KEY))).executions).toEqual([]);
    for (const id of ids) await finished(id);
    const completed = await rpc.listExecutions({ status: ExecutionStatus.COMPLETED, createdAfterMs: BigInt(since) }, as(KEY));
    expect(completed.executions.map((e) => e.executionId).sort()).toEqual([...ids].sort());
    expect(completed.executions.every((e) => e.completedAtMs > 0n)).toBe(true);
    expect((await refused(() => rpc.listExecutions({ status: 99 as ExecutionStatus }, as(KEY)))).code).toBe(Code.InvalidArgument);

    const latest = await rpc.getDefinition({ workflowId: 'steps' }, as(KEY));
    const view = (await call('GET', '/api/v1/tenant-a/workflows/steps', { key: KEY })).body;
    expect(latest.definition).toMatchObject({ workflowId: 'steps', version: view.version, source: FLOW, sha256: view.sha256 });
    expect(new Date(Number(latest.definition!.registeredAtMs)).toISOString()).toBe(view.registered_at);
    expect((await rpc.getDefinition({ workflowId: 'steps', version: '1.0.0' }, as(KEY))).definition?.source).toBe(FLOW);
    const missingVersion = await refused(() => rpc.getDefinition({ workflowId: 'steps', version: '9.9.9' }, as(KEY)));
    expect([missingVersion.code, missingVersion.rawMessage]).toEqual([Code.NotFound, 'workflow steps version 9.9.9 not found']);

    const metrics = await (await fetch(`${String(api.ready['opsUrl'])}/metrics`)).text();
    expect(metrics).toMatch(/^flunq_http_requests_total\{method="POST",route="\/flunq\.v1\.IoApiService\/ListExecutions",status="200",service="io-api"\} \d+$/m);
  });

  test('WatchEvents delivers the events of a running execution as they happen, resumes after a cursor, ends after the final event', async () => {
    const id = await execute({ name: 'Sam' });
    const received: { event: WorkflowEvent; cursor: string; at: number }[] = [];
    for await (const message of rpc.watchEvents({ executionId: id }, as(KEY))) received.push({ event: message.event!, cursor: message.cursor, at: Date.now() });
    expect(received.map((m) => Number(m.event.sequence))).toEqual(received.map((_, i) => i + 1));
    expect(received.at(-1)!.event.type).toBe('io.flunq.execution.completed');
    // The 0.3 s wait happened while the stream was open: events arrived over time, not at once.
    const pause = received.find((m) => m.event.data.case === 'taskStarted' && m.event.data.value.taskName === 'pause')!;
    expect(received.at(-1)!.at - pause.at).toBeGreaterThanOrEqual(200);

    const events = await restEvents(id);
    expect(received.map((m) => m.cursor)).toEqual(events.map((e) => e.cursor));
    received.forEach((m, i) => expect(events[i].data).toMatchObject(decodedData(m.event)));

    const resumed: number[] = [];
    for await (const message of rpcBinary.watchEvents({ executionId: id, after: received[2]!.cursor }, as(KEY))) resumed.push(Number(message.event!.sequence));
    expect(resumed).toEqual(received.slice(3).map((m) => Number(m.event.sequence)));
  });

  test('WatchEvents ends when the client cancels; a cancelled execution ends the watch with its final event', async () => {
    const id = await execute({}, 'long-sleep');
    const controller = new AbortController();
    const first: string[] = [];
    const watched = (async () => {
      for await (const message of rpc.watchEvents({ executionId: id }, { ...as(KEY), signal: controller.signal })) {
        first.push(message.event!.type);
        if (message.event!.type === 'io.flunq.task.started') controller.abort();
      }
    })();
    const error = await watched.then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(error?.code).toBe(Code.Canceled);
    expect(first).toEqual(['io.flunq.execution.started', 'io.flunq.task.started']);

    const types: string[] = [];
    const following = (async () => {
      for await (const message of rpc.watchEvents({ executionId: id }, as(KEY))) types.push(message.event!.type);
    })();
    await waitFor('the watch to catch up', async () => (types.length >= 2 ? true : undefined));
    expect((await call('POST', `/api/v1/tenant-a/executions/${id}/cancel`, { key: KEY })).body.status).toBe('CANCELLED');
    await following;
    expect(types).toEqual(['io.flunq.execution.started', 'io.flunq.task.started', 'io.flunq.execution.cancelled']);
    expect(FINAL).toContain(types.at(-1));
  });

  test('security: every RPC with no key, a malformed header or an unknown key is UNAUTHENTICATED; another tenant\'s key is NOT_FOUND, as a missing id; never data', async () => {
    const id = await execute({ name: 'Secret-Ada' });
    await finished(id);
    const missing = 'no-such-execution-0001';
    /** One call of every method of the service, for execution `executionId` (or workflow `steps`). */
    const calls = (client: Client<typeof IoApiService>, executionId: string, options: { headers: Record<string, string> }) => ({
      getExecution: () => client.getExecution({ executionId }, options),
      listExecutions: () => client.listExecutions({}, options),
      listEvents: () => client.listEvents({ executionId }, options),
      getStateAt: () => client.getStateAt({ executionId, at: 1n }, options),
      watchEvents: async () => {
        const got: unknown[] = [];
        for await (const message of client.watchEvents({ executionId }, options)) got.push(message);
        return got;
      },
      getDefinition: () => client.getDefinition({ workflowId: 'steps' }, options),
    });
    const methods = IoApiService.methods.map((m) => m.localName).sort();
    expect(Object.keys(calls(rpc, id, as(KEY))).sort()).toEqual(methods);

    // The owner gets answers.
    for (const [name, run] of Object.entries(calls(rpc, id, as(KEY)))) expect(await run(), name).toBeDefined();

    for (const client of [rpc, rpcBinary, rpcGrpcWeb]) {
      for (const options of [auth(undefined), auth(WRONG), auth('short'), auth(KEY, 'Basic'), auth('', 'Bearer'), { headers: { authorization: `Bearer ${KEY} extra` } }]) {
        for (const [name, run] of Object.entries(calls(client, id, options))) {
          const error = await refused(run);
          expect(error.code, `${name} ${JSON.stringify(options)}`).toBe(Code.Unauthenticated);
          expect(error.rawMessage).not.toContain('Secret');
        }
      }
      // Tenant B's key: tenant A's ids answer as missing ones (the same code and message, but for the id); listings hold only B's (none).
      const other = calls(client, id, as(KEY_B));
      const absent = calls(client, missing, as(KEY_B));
      for (const name of ['getExecution', 'listEvents', 'getStateAt', 'watchEvents', 'getDefinition'] as const) {
        const error = await refused(other[name]);
        expect(error.code, name).toBe(Code.NotFound);
        const absentError = await refused(absent[name]);
        expect([absentError.code, error.rawMessage.replace(id, missing)], name).toEqual([Code.NotFound, absentError.rawMessage]);
        expect(error.details, name).toEqual(absentError.details);
        expect(error.rawMessage).toBe(name === 'getDefinition' ? 'workflow steps not found' : `execution ${id} not found`);
      }
      const listing = await other.listExecutions();
      expect(listing.executions).toEqual([]);
      const mine = await calls(client, id, as(KEY)).listExecutions();
      expect(mine.executions.some((e) => e.executionId === id)).toBe(true);
    }
  });
});
