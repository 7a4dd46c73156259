import { hydrateState } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { afterEach, describe, expect, inject, test } from 'vitest';
import type { ExecutionSnapshot } from '../src/records/build-step.js';
import { ExecutionAdvancer } from '../src/execution/advancer.js';
import { DefinitionCache } from '../src/execution/definitions.js';
import { toSeedState } from '../src/views/seed-view.js';
import { withAllTasks } from '../src/views/all-tasks.js';
import { RECENT_TASKS_KEPT } from '../src/records/state-projection.js';
import { after, memoryHarness, redisHarness, ScriptedRunner, TEST_SNAPSHOT_EVERY, type EngineHarness } from './engine-harness.js';

const serializer = createPayloadSerializer();
const TENANT = 'tenant-t';
const LOOP = `document: { dsl: '1.0.0', namespace: t, name: loop, version: '1.0.0' }
do:
  - init: { set: { total: 0, items: '\${ .items }' } }
  - each:
      for: { each: item, in: '\${ .items }' }
      do:
        - add: { call: http, with: { method: get, endpoint: 'http://add.test/' }, output: { as: '\${ $input + { total: ($input.total + .value) } }' }, export: { as: '\${ $context + { last: $item } }' } }
  - done: { set: { total: '\${ .total }', last: '\${ $context.last }' } }
`;

/** Runs LOOP over `items` to its end, capturing the stored state after every event. */
async function runCapturing(h: EngineHarness, items: number[]) {
  await h.client.registerDefinition(TENANT, LOOP);
  const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'loop', input: { items } });
  const captured = new Map<number, ExecutionSnapshot['state']>();
  captured.set(1, (await h.store.readState(executionId, { hydrate: false }))!);
  const runner = new ScriptedRunner(() => after(0, { value: 10 }));
  const advancer = new ExecutionAdvancer({
    store: h.store,
    definitions: new DefinitionCache(h.definitions),
    runner,
    scheduler: h.scheduler,
    snapshots: h.snapshots,
    snapshotEvery: TEST_SNAPSHOT_EVERY,
    onStep: ({ snapshot }) => captured.set(Number(snapshot.state.version), snapshot.state),
  });
  expect(await advancer.advance(executionId)).toMatchObject({ status: 'completed' });
  return { executionId, captured, runner };
}

/** The seed view of a state whose payloads the store fills in from its events. */
async function view(h: EngineHarness, executionId: string, state: ExecutionSnapshot['state']) {
  return toSeedState(await hydrateState(h.store, executionId, state), serializer);
}

describe.each([
  ['memory', () => memoryHarness()],
  ['a real Redis', () => redisHarness(inject('redisUrl'))],
])('time travel and replay on %s', (_name, make) => {
  let h: EngineHarness;
  afterEach(async () => h?.close());

  test('the state at every event N equals the state stored right after event N', async () => {
    h = make();
    const { executionId, captured } = await runCapturing(h, [1, 2, 3, 4, 5, 6]);
    const version = Number((await h.store.readState(executionId))!.version);
    expect(version).toBeGreaterThan(3 * TEST_SNAPSHOT_EVERY);
    expect(captured.size).toBe(version);
    expect((await h.snapshots.find(executionId, version))?.sequence).toBe(Math.floor(version / TEST_SNAPSHOT_EVERY) * TEST_SNAPSHOT_EVERY);
    for (let n = 1; n <= version; n++) {
      const travelled = await h.client.stateAt(executionId, n);
      expect(await view(h, executionId, travelled!), `state at event ${n}`).toEqual(await view(h, executionId, captured.get(n)!));
    }
    // The last one is also what the store itself gives back (its own hydration).
    expect(await view(h, executionId, (await h.client.stateAt(executionId, version))!)).toEqual(toSeedState((await h.store.readState(executionId))!, serializer));
    expect((await view(h, executionId, (await h.client.stateAt(executionId, version))!)).output).toEqual({ total: 60, last: 6 });
    await expect(h.client.stateAt(executionId, version + 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(h.client.stateAt(executionId, 0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await h.client.stateAt('no-such-execution', 1)).toBeUndefined();
  });

  test('replay: plain (same input and version), edited input, and from a step reusing earlier outputs', async () => {
    h = make();
    const { executionId, runner } = await runCapturing(h, [1, 2, 3]);
    const advancer = h.advancer(runner);
    const finalOf = async (id: string) => view(h, id, (await h.store.readState(id, { hydrate: false }))!);

    const plain = await h.client.replay(executionId);
    expect(plain).toMatchObject({ replayOf: executionId, workflowId: 'loop', version: '1.0.0' });
    await advancer.advance(plain.executionId);
    expect(await finalOf(plain.executionId)).toMatchObject({ status: 'COMPLETED', input: { items: [1, 2, 3] }, output: { total: 30, last: 3 } });
    expect((await h.store.readState(plain.executionId))!.replayOf).toBe(executionId);

    const edited = await h.client.replay(executionId, { input: { items: [5, 5] } });
    await advancer.advance(edited.executionId);
    expect(await finalOf(edited.executionId)).toMatchObject({ input: { items: [5, 5] }, output: { total: 20, last: 5 } });

    const callsBefore = runner.calls.length;
    const fromDone = await h.client.replay(executionId, { fromTaskId: '/do/2/done' });
    await advancer.advance(fromDone.executionId);
    expect(runner.calls.length).toBe(callsBefore); // every call before the step was reused, none ran again
    const reused = await finalOf(fromDone.executionId);
    expect(reused).toMatchObject({ status: 'COMPLETED', output: { total: 30, last: 3 } });
    expect(reused.completed_tasks.map((t) => t.task_name)).toEqual((await finalOf(executionId)).completed_tasks.map((t) => t.task_name));

    const events = (await h.store.readEvents(executionId, { limit: 1000 })).events;
    const lastCall = events.findLastIndex((e) => e.event.type === 'io.flunq.task.started' && e.event.taskId.endsWith('/add'));
    const fromLastCall = await h.client.replay(executionId, { fromEvent: lastCall + 1 });
    await advancer.advance(fromLastCall.executionId);
    expect(runner.calls.length).toBe(callsBefore + 1); // only the last call runs again
    expect(await finalOf(fromLastCall.executionId)).toMatchObject({ output: { total: 30, last: 3 } });

    await expect(h.client.replay(executionId, { input: {}, fromEvent: 3 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(h.client.replay(executionId, { fromTaskId: '/do/9/nope' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(h.client.replay(executionId, { fromEvent: 999 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(h.client.replay('no-such-execution')).rejects.toMatchObject({ code: 'EXECUTION_NOT_FOUND' });
  });

  test('a long execution keeps only its recent task records in the state; views and time travel still show every task', async () => {
    h = make();
    await h.client.registerDefinition(TENANT, `document: { dsl: '1.0.0', namespace: t, name: long, version: '1.0.0' }
do:
  - each:
      for: { each: i, in: '\${ [range(130)] }' }
      do:
        - step: { set: { i: '\${ $i }' } }
`);
    const { executionId } = await h.client.startExecution({ tenantId: TENANT, workflowId: 'long', input: {} });
    await h.advancer(new ScriptedRunner(() => after(0, {}))).advance(executionId);
    const stored = (await h.store.readState(executionId))!;
    expect(stored.completedTasks).toHaveLength(RECENT_TASKS_KEPT);
    expect(stored.taskCount).toBe(131); // 130 iterations of `step`, then `each`
    const all = toSeedState(await withAllTasks(h.store, executionId, stored), serializer).completed_tasks;
    expect(all).toHaveLength(131);
    expect(all.slice(0, 2).map((t) => [t.task_name, t.output])).toEqual([['step', { i: 0 }], ['step', { i: 1 }]]);
    // Time travel to the middle: every task so far, with its values.
    const middle = await h.client.stateAt(executionId, 150);
    const tasksThen = toSeedState(await withAllTasks(h.store, executionId, middle!), serializer).completed_tasks;
    expect(tasksThen.length).toBeGreaterThan(70);
    expect(tasksThen.at(-1)).toMatchObject({ task_name: 'step', output: { i: tasksThen.length - 1 } });
  });
});
