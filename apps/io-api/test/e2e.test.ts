import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { STEPS_FLOW } from './flows.js';
import { apiClient, openSse } from './http.js';
import { deployment, startService, waitFor, type ServiceProcess } from '@flunq/stack-testing';

const KEY = 'e2e-key-a-0123456789abcdef';
const KEY_B = 'e2e-key-b-0123456789abcdef';
const FLOW = STEPS_FLOW;

describe('io-api over HTTP: real io-api, worker and executor processes, a real Redis', () => {
  const stack = deployment(inject('redisUrl'));
  let executor: ServiceProcess;
  let worker: ServiceProcess;
  let api: ServiceProcess;
  const base = () => String(api.ready['url']);
  const call = apiClient(base);
  const finished = async (id: string) =>
    waitFor(`execution ${id} to finish`, async () => {
      const state = await call('GET', `/api/v1/tenant-a/executions/${id}`, { key: KEY });
      return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(state.body.status) ? state.body : undefined;
    });

  beforeAll(async () => {
    executor = await startService('executor', { FLUNQ_EXECUTOR_PORT: '0', FLUNQ_EXECUTOR_METRICS_PORT: '0' }, 'executor listening');
    // Both index (worker) and query (io-api) 4 levels deep: deeper query paths are refused.
    worker = await startService('worker', { ...stack.workerEnv(String(executor.ready['rpcUrl'])), FLUNQ_SEARCH_MAX_DEPTH: '4' }, 'worker started');
    api = await startService('io-api', { ...stack.apiEnv(`${KEY}=tenant-a,${KEY_B}=tenant-b`), FLUNQ_SEARCH_MAX_DEPTH: '4' }, 'io-api listening');
    expect((await call('POST', '/api/v1/tenant-a/workflows', { key: KEY, text: FLOW })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop(), executor?.stop()]);
    await stack.close();
  });

  test('execute, read the state, page the events (with and without payloads), one event on demand', async () => {
    const started = await call('POST', '/api/v1/tenant-a/workflows/steps/execute', { key: KEY, json: { input: { name: 'Ada' }, correlation_id: 'corr-1' } });
    expect(started.status).toBe(202);
    const state = await finished(started.body.id);
    expect(state).toMatchObject({ status: 'COMPLETED', input: { name: 'Ada' }, output: { greeting: 'Hello Ada' }, correlation_id: 'corr-1' });
    expect(state.completed_tasks.map((t: { task_name: string }) => t.task_name)).toEqual(['first', 'echo', 'pause', 'last']);
    expect(state.completed_tasks[0].output).toEqual({ name: 'Ada', n: 1 });
    const all: any[] = [];
    let after: string | undefined;
    do {
      const page = await call('GET', `/api/v1/tenant-a/executions/${started.body.id}/events?limit=3${after ? `&after=${after}` : ''}`, { key: KEY });
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      all.push(...page.body.items);
      after = page.body.next_cursor;
    } while (after);
    expect(all.map((e) => e.sequence)).toEqual(all.map((_, i) => i + 1));
    expect(all.length).toBe(state.version);
    expect(all[0]).toMatchObject({ event_type: 'io.flunq.execution.started', data: { input: { name: 'Ada' } } });
    expect(all.at(-1)).toMatchObject({ event_type: 'io.flunq.execution.completed', data: { output: state.output } });
    const echo = all.find((e) => e.event_type === 'io.flunq.task.completed' && e.data.task_name === 'echo');
    expect(echo.data).toMatchObject({ input_data: state.completed_tasks[1].input, output_data: state.completed_tasks[1].output, attempt: 1 });

    const envelope = await call('GET', `/api/v1/tenant-a/executions/${started.body.id}/events?payloads=false&limit=1000`, { key: KEY });
    const echoEnvelope = envelope.body.items.find((e: any) => e.sequence === echo.sequence);
    expect(echoEnvelope.data).toMatchObject({ task_name: 'echo', attempt: 1 });
    expect(echoEnvelope.payloads.output_data).toMatchObject({ encoding: 'json/plain', original_size: JSON.stringify(echo.data.output_data).length });
    expect(JSON.stringify(envelope.body)).not.toContain('Ada');
    const one = await call('GET', `/api/v1/tenant-a/executions/${started.body.id}/events/${echo.sequence}`, { key: KEY });
    expect(one.body).toEqual(echo);
  });

  test('time travel: the state after every event N, ending at the stored state; N out of range is 400', async () => {
    const started = await call('POST', '/api/v1/tenant-a/workflows/steps/execute', { key: KEY, json: { input: { name: 'Tim' } } });
    const final = await finished(started.body.id);
    const path = `/api/v1/tenant-a/executions/${started.body.id}`;
    const events = (await call('GET', `${path}/events?limit=1000`, { key: KEY })).body.items;
    let previousTasks = 0;
    for (let n = 1; n <= final.version; n++) {
      const at = await call('GET', `${path}/state?at=${n}`, { key: KEY });
      expect(at.status).toBe(200);
      expect(at.body.version).toBe(n);
      expect(at.body.completed_tasks.length).toBeGreaterThanOrEqual(previousTasks);
      previousTasks = at.body.completed_tasks.length;
      const completedSoFar = events.slice(0, n).filter((e: any) => e.event_type === 'io.flunq.task.completed').length;
      expect(at.body.completed_tasks.length).toBe(completedSoFar);
    }
    expect((await call('GET', `${path}/state?at=1`, { key: KEY })).body).toMatchObject({ status: 'RUNNING', input: { name: 'Tim' }, completed_tasks: [] });
    expect((await call('GET', `${path}/state?at=${final.version}`, { key: KEY })).body).toEqual(final);
    expect((await call('GET', `${path}/state?at=${final.version + 1}`, { key: KEY })).status).toBe(400);
    expect((await call('GET', `${path}/state?at=0`, { key: KEY })).status).toBe(400);
    expect((await call('GET', `${path}/state`, { key: KEY })).status).toBe(400);
  });

  test('replay: plain, with an edited input, from a step; linked by replay_of', async () => {
    const original = await call('POST', '/api/v1/tenant-a/workflows/steps/execute', { key: KEY, json: { input: { name: 'Rae' } } });
    await finished(original.body.id);
    const path = `/api/v1/tenant-a/executions/${original.body.id}`;

    const plain = await call('POST', `${path}/replay`, { key: KEY });
    expect(plain.status).toBe(202);
    expect(plain.body).toMatchObject({ workflow_id: 'steps', version: '1.0.0', replay_of: original.body.id });
    const originalState = await finished(original.body.id);
    expect(await finished(plain.body.id)).toMatchObject({ status: 'COMPLETED', input: { name: 'Rae' }, output: originalState.output, replay_of: original.body.id });

    const edited = await call('POST', `${path}/replay`, { key: KEY, json: { input: { name: 'Edd' } } });
    expect(await finished(edited.body.id)).toMatchObject({ status: 'COMPLETED', input: { name: 'Edd' }, output: { greeting: 'Hello Edd' } });

    const fromStep = await call('POST', `${path}/replay`, { key: KEY, json: { from_task: '/do/2/pause' } });
    expect(fromStep.status).toBe(202);
    const replayed = await finished(fromStep.body.id);
    expect(replayed.output).toEqual(originalState.output);
    expect(replayed.completed_tasks.map((t: { task_name: string }) => t.task_name)).toEqual(['first', 'echo', 'pause', 'last']);

    expect((await call('POST', `${path}/replay`, { key: KEY, json: { from_task: '/do/9/none' } })).status).toBe(400);
    expect((await call('POST', `${path}/replay`, { key: KEY, json: { input: {}, from_event: 3 } })).status).toBe(400);
    expect((await call('POST', `${path}/replay`, { key: KEY_B })).status).toBe(404);
  });

  test('SSE delivers events as they happen, resumes after Last-Event-ID, ends after the final event', async () => {
    const started = await call('POST', '/api/v1/tenant-a/workflows/steps/execute', { key: KEY, json: { input: { name: 'Sam' } } });
    const url = `${base()}/api/v1/tenant-a/executions/${started.body.id}/events/stream`;
    const stream = await openSse(url, KEY);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.done;
    const events = stream.messages.filter((m) => m.data);
    expect(stream.problems).toEqual([]);
    expect(events.map((m) => m.data.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.event).toBe('io.flunq.execution.completed');
    for (const m of events) expect(m.id).toBe(m.data.cursor);
    for (const m of events) expect(m.event).toBe(m.data.event_type);
    // The 0.3 s wait happened while the stream was open: events arrived over time, not at once.
    const pause = events.find((m) => m.event === 'io.flunq.task.started' && m.data.data.task_name === 'pause')!;
    expect(events.at(-1)!.at - pause.at).toBeGreaterThanOrEqual(200);

    const resumed = await openSse(url, KEY, { 'last-event-id': events[2]!.id! });
    await resumed.done;
    expect(resumed.messages.filter((m) => m.data).map((m) => m.data.sequence)).toEqual(events.slice(3).map((m) => m.data.sequence));

    const denied = await openSse(url, KEY_B);
    expect(denied.response.status).toBe(404);
  });

  test('cancel stops a running execution; a finished one keeps its status', async () => {
    expect((await call('POST', '/api/v1/tenant-a/workflows', { key: KEY, text: `document: { dsl: '1.0.0', namespace: t, name: long-sleep, version: '1.0.0' }\ndo:\n  - nap: { call: sleep, input: { from: '\${ { ms: 60000 } }' } }\n  - never: { set: { reached: true } }\n` })).status).toBe(201);
    const started = await call('POST', '/api/v1/tenant-a/workflows/long-sleep/execute', { key: KEY, json: { input: {} } });
    const stream = await openSse(`${base()}/api/v1/tenant-a/executions/${started.body.id}/events/stream`, KEY);
    await waitFor('the sleep to be dispatched', async () => (stream.messages.some((m) => m.event === 'io.flunq.task.started') ? true : undefined));
    const cancelled = await call('POST', `/api/v1/tenant-a/executions/${started.body.id}/cancel`, { key: KEY });
    expect(cancelled.body).toEqual({ id: started.body.id, status: 'CANCELLED' });
    await stream.done;
    expect(stream.messages.filter((m) => m.event).map((m) => m.event)).toEqual(['io.flunq.execution.started', 'io.flunq.task.started', 'io.flunq.execution.cancelled']);
    expect((await call('POST', `/api/v1/tenant-a/executions/${started.body.id}/cancel`, { key: KEY })).body.status).toBe('CANCELLED');
    expect((await call('GET', `/api/v1/tenant-a/executions/${started.body.id}`, { key: KEY })).body.status).toBe('CANCELLED');
  });

  test('GET /executions lists through the real RedisExecutionIndex: newest first, filters, cursor paging, per tenant', async () => {
    const before = new Date().toISOString();
    const ids: string[] = [];
    for (const name of ['L1', 'L2', 'L3']) ids.push((await call('POST', '/api/v1/tenant-a/workflows/steps/execute', { key: KEY, json: { input: { name } } })).body.id);
    const page1 = await call('GET', `/api/v1/tenant-a/executions?workflow_id=steps&created_after=${before}&limit=2`, { key: KEY });
    expect(page1.body.items.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
    expect(page1.body.next_cursor).toBeDefined();
    const page2 = await call('GET', `/api/v1/tenant-a/executions?workflow_id=steps&created_after=${before}&limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}`, { key: KEY });
    expect(page2.body.items.map((e: { id: string }) => e.id)).toEqual([ids[0]]);
    const none = await call('GET', `/api/v1/tenant-a/executions?created_before=${before}&created_after=${before}`, { key: KEY });
    expect(none.body.items).toEqual([]);
    expect((await call('GET', '/api/v1/tenant-b/executions', { key: KEY_B })).body.items).toEqual([]);
    for (const id of ids) await finished(id);
    // The end of an execution is upserted by the worker's engine (when it is wired with the index).
    const completed = await call('GET', `/api/v1/tenant-a/executions?status=COMPLETED&created_after=${before}`, { key: KEY });
    expect(completed.body.items.map((e: { id: string }) => e.id).sort()).toEqual([...ids].sort());

    // Content search (?q=): by input, by a task's output, combined with the filters; bad queries name the position.
    const search = async (q: string, extra = '') => call('GET', `/api/v1/tenant-a/executions?q=${encodeURIComponent(q)}&created_after=${before}${extra}`, { key: KEY });
    expect((await search('input.name = L2')).body.items.map((e: { id: string }) => e.id)).toEqual([ids[1]]);
    expect((await search('task.last.output.n >= 1 AND input.name ^= L')).body.items.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect((await search('NOT input.name = L2', '&status=COMPLETED&limit=1')).body).toMatchObject({ items: [{ id: ids[2] }], next_cursor: expect.any(String) });
    expect((await call('GET', `/api/v1/tenant-b/executions?q=${encodeURIComponent('input.name = L2')}`, { key: KEY_B })).body.items).toEqual([]);
    const bad = await search('input.name = ');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/expected a value .* at 13/);
    const deep = await search('input.a.b.c.d.e = 1');
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toBe('input.a.b.c.d.e is 5 levels deep; this deployment indexes 4 (FLUNQ_SEARCH_MAX_DEPTH)');
  });

  test('GET /stats counts exactly the executions and task ends recorded above, and measures the tenant\'s Redis memory', async () => {
    const executions: { id: string; workflow_id: string; status: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/api/v1/tenant-a/executions?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: KEY });
      executions.push(...page.body.items);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(executions.length).toBeGreaterThanOrEqual(10);
    const byWorkflow: Record<string, { started: number; completed: number; failed: number; cancelled: number }> = {};
    const tasks: Record<string, { count: number; failed: number }> = {};
    for (const e of executions) {
      const status = (await finished(e.id)).status.toLowerCase() as 'completed' | 'failed' | 'cancelled';
      const counts = (byWorkflow[e.workflow_id] ??= { started: 0, completed: 0, failed: 0, cancelled: 0 });
      counts.started += 1;
      counts[status] += 1;
      const events = (await call('GET', `/api/v1/tenant-a/executions/${e.id}/events?limit=1000&payloads=false`, { key: KEY })).body.items;
      for (const event of events) {
        if (event.event_type !== 'io.flunq.task.completed' && event.event_type !== 'io.flunq.task.failed') continue;
        const task = (tasks[`${e.workflow_id}/${event.data.task_name}`] ??= { count: 0, failed: 0 });
        task.count += 1;
        if (event.event_type === 'io.flunq.task.failed') task.failed += 1;
      }
    }
    const sum = (key: 'started' | 'completed' | 'failed' | 'cancelled') => Object.values(byWorkflow).reduce((n, c) => n + c[key], 0);
    // The worker adds a step to the statistics right after recording it: wait until the last ones are in.
    const stats = await waitFor('the statistics to catch up', async () => {
      const body = (await call('GET', '/api/v1/tenant-a/stats', { key: KEY })).body;
      return body.executions.by_status.completed === sum('completed') && body.tasks.reduce((n: number, t: { count: number }) => n + t.count, 0) === Object.values(tasks).reduce((n, t) => n + t.count, 0) ? body : undefined;
    });
    expect(stats.executions.by_status).toEqual({ started: sum('started'), completed: sum('completed'), failed: sum('failed'), cancelled: sum('cancelled') });
    expect(stats.executions.by_workflow).toEqual(byWorkflow);
    expect(stats.executions.per_hour.reduce((n: number, h: { started: number }) => n + h.started, 0)).toBe(executions.length);
    expect(Object.fromEntries(stats.tasks.map((t: any) => [`${t.workflow_id}/${t.task_name}`, { count: t.count, failed: t.failed }]))).toEqual(tasks);
    const pause = stats.tasks.find((t: any) => t.workflow_id === 'steps' && t.task_name === 'pause');
    expect(pause.p50_ms).toBeGreaterThanOrEqual(256);
    expect(stats.payloads.count).toBeGreaterThan(executions.length);
    expect(stats.payloads.stored_bytes).toBeGreaterThan(0);
    // Redis memory of tenant A's keys: one state and one stream per execution (when the scan saw every key)
    const memory = stats.redis_memory;
    expect(memory.total_bytes).toBeGreaterThan(0);
    expect(memory.kinds.queue).toEqual({ keys: 0, bytes: 0 });
    if (!memory.sampled) {
      expect(memory.kinds.state.keys).toBe(executions.length);
      expect(memory.kinds.events.keys).toBe(executions.length);
      expect(memory.kinds.stats.keys).toBeGreaterThanOrEqual(1);
      expect(memory.kinds.definitions.keys).toBeGreaterThanOrEqual(3);
    }
    const other = (await call('GET', '/api/v1/tenant-b/stats', { key: KEY_B })).body;
    expect(other.executions.by_status).toEqual({ started: 0, completed: 0, failed: 0, cancelled: 0 });
    expect(other.tasks).toEqual([]);
    expect(other.redis_memory.kinds.state.keys).toBe(0);
    expect((await call('GET', '/api/v1/tenant-a/stats', { key: KEY_B })).status).toBe(404);
  });

  test('ops endpoints on their own port; a bad configuration stops the process naming every bad key', async () => {
    const ops = String(api.ready['opsUrl']);
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/^flunq_http_requests_total\{method="POST",route="\/api\/v1\/:tenant\/workflows\/:workflowId\/execute",status="202",service="io-api"\} \d+$/m);
    await expect(startService('io-api', { FLUNQ_API_KEYS: 'short=tenant-a,nokey,good-key-0123456789=bad:tenant', FLUNQ_API_PORT: 'x', REDIS_URL: 'http://nope' }, 'io-api listening')).rejects.toThrow(
      /FLUNQ_API_KEYS: entry 1: the key is shorter than 16 characters.*FLUNQ_API_KEYS: entry 2 is not key=tenant.*FLUNQ_API_KEYS: entry 3: invalid tenant id.*FLUNQ_API_PORT="x".*REDIS_URL="http:\/\/nope"/s,
    );
  });
});
