import { workflowError } from '@flunq/dsl';
import { MemoryDefinitionStore, MemoryIoStore, type StatsSample, type StatsStore } from '@flunq/redis-store';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { EngineClient } from '../src/client/engine-client.js';
import { ExecutionAdvancer } from '../src/execution/advancer.js';
import { DefinitionCache } from '../src/execution/definitions.js';
import { statsSampleOf } from '../src/execution/step-recorder.js';
import { after, failed, memoryHarness, RecordingScheduler, redisHarness, ScriptedRunner, SEED_INPUT, SEED_WORKFLOW, type EngineHarness } from './engine-harness.js';

const TENANT = 'tenant-a';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAILING = `document: { dsl: '1.0.0', namespace: t, name: failing, version: '1.0.0' }
do:
  - boom:
      call: http
      with: { method: get, endpoint: https://api.test/boom }
`;

describe.each([
  ['memory', () => memoryHarness()],
  ['a real Redis', () => redisHarness(inject('redisUrl'))],
])('execution statistics on %s', (_name, make) => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  test('every start, end and task end of the executions run is counted, with durations and payload sizes', async () => {
    h = make();
    const since = Date.now();
    await h.client.registerDefinition(TENANT, SEED_WORKFLOW);
    await h.client.registerDefinition(TENANT, FAILING);
    const runner = new ScriptedRunner((request) =>
      request.taskName === 'boom' ? failed(workflowError('communication', request.pointer, { status: 502, title: 'Bad gateway' }).problem) : after(5, { user: { id: 'u-1' } }),
    );
    const advancer = h.advancer(runner);
    const ok = await h.client.startExecution({ tenantId: TENANT, workflowId: 'simple-test-workflow', input: SEED_INPUT });
    await advancer.advance(ok.executionId);
    await sleep(60);
    expect(await advancer.advance(ok.executionId)).toMatchObject({ status: 'completed' });
    const bad = await h.client.startExecution({ tenantId: TENANT, workflowId: 'failing', input: {} });
    expect(await advancer.advance(bad.executionId)).toMatchObject({ status: 'failed' });
    const cancelled = await h.client.startExecution({ tenantId: TENANT, workflowId: 'simple-test-workflow', input: SEED_INPUT });
    await h.client.cancelExecution(cancelled.executionId);

    const report = await h.stats.read(TENANT, { fromMs: since, toMs: Date.now() + 1 });
    expect(report.executions.byStatus).toEqual({ started: 3, completed: 1, failed: 1, cancelled: 1 });
    expect(report.executions.byWorkflow).toEqual({
      failing: { started: 1, completed: 0, failed: 1, cancelled: 0 },
      'simple-test-workflow': { started: 2, completed: 1, failed: 0, cancelled: 1 },
    });
    expect(report.executions.perHour.reduce((sum, hour) => sum + hour.started, 0)).toBe(3);
    const tasks = Object.fromEntries(report.tasks.map((t) => [`${t.workflowId}/${t.taskName}`, t]));
    expect(Object.keys(tasks)).toEqual(['failing/boom', 'simple-test-workflow/fetchUser', 'simple-test-workflow/finalize', 'simple-test-workflow/initialize', 'simple-test-workflow/pause']);
    expect(tasks['failing/boom']).toMatchObject({ count: 1, failed: 1 });
    expect(tasks['simple-test-workflow/fetchUser']).toMatchObject({ count: 1, failed: 0 });
    expect(tasks['simple-test-workflow/fetchUser']!.p50Ms).toBeGreaterThanOrEqual(4);
    // the 0.05 s wait: at least 50 ms, so in the bucket up to 64 ms or above
    expect(tasks['simple-test-workflow/pause']!.p50Ms).toBeGreaterThanOrEqual(64);

    // the payloads counted are those of the recorded starts, task ends and completions
    const ids = [ok, bad, cancelled].map((e) => e.executionId);
    let count = 0;
    let originalBytes = 0;
    let storedBytes = 0;
    for (const id of ids) {
      for (const { event } of (await h.store.readEvents(id, { limit: 1000 })).events) {
        for (const p of statsSampleOf({ workflowId: 'w', createdAtMs: 0n } as never, event)?.payloads ?? []) {
          count += 1;
          originalBytes += p.originalBytes;
          storedBytes += p.storedBytes;
        }
      }
    }
    // 3 inputs; ok: 4 task ends x 2 + output; bad: the failed task's input
    expect(count).toBe(3 + 9 + 1);
    expect(report.payloads).toMatchObject({ count, originalBytes, storedBytes });
    expect(report.payloads.sizeBuckets.reduce((sum, b) => sum + b.count, 0)).toBe(count);
    expect(report.payloads.byDirection.output.count).toBe(5);
  });
});

describe('statistics are derived data', () => {
  test('a stats store that fails never fails a step: the error goes to onStatsError', async () => {
    const store = new MemoryIoStore();
    const definitions = new MemoryDefinitionStore();
    const failures: { error: unknown; step: { executionId: string; eventType: string } }[] = [];
    const stats: StatsStore = {
      record: (_tenant: string, sample: StatsSample) => Promise.reject(new Error(`stats down (${sample.kind})`)),
      read: () => Promise.reject(new Error('stats down')),
      close: async () => undefined,
    };
    const onStatsError = (error: unknown, step: { executionId: string; eventType: string }) => void failures.push({ error, step });
    const scheduler = new RecordingScheduler();
    const client = new EngineClient({ store, definitions, scheduler, stats, onStatsError });
    const advancer = new ExecutionAdvancer({ store, definitions: new DefinitionCache(definitions), scheduler, runner: new ScriptedRunner(() => after(1, {})), stats, onStatsError });
    await client.registerDefinition(TENANT, `document: { dsl: '1.0.0', namespace: t, name: one, version: '1.0.0' }\ndo:\n  - a:\n      set: { x: 1 }\n`);
    const started = await client.startExecution({ tenantId: TENANT, workflowId: 'one', input: {} });
    expect(await advancer.advance(started.executionId)).toMatchObject({ status: 'completed' });
    expect(failures.map((f) => f.step.eventType)).toEqual(['io.flunq.execution.started', 'io.flunq.task.completed', 'io.flunq.execution.completed']);
    expect(failures.every((f) => f.step.executionId === started.executionId && String(f.error).includes('stats down'))).toBe(true);
    // without onStatsError the failure is ignored
    const quiet = new EngineClient({ store, definitions, scheduler, stats });
    expect((await quiet.startExecution({ tenantId: TENANT, workflowId: 'one', input: {} })).status).toBe('running');
  });
});
