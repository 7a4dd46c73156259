import { readFileSync } from 'node:fs';
import { MemoryIoStore } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { describe, expect, test } from 'vitest';
import { toSeedEvent, toSeedState } from '../src/views/seed-view.js';
import { after, memoryHarness, ScriptedRunner, SEED_INPUT, SEED_WORKFLOW } from './engine-harness.js';

const serializer = createPayloadSerializer();
const fixture = (name: string): string => readFileSync(new URL(`../../redis-store/src/testing/fixtures/${name}`, import.meta.url), 'utf8');

describe("the seed's JSON view", () => {
  test("a state recorded by the engine reads back in the seed's shape, with every input and output", async () => {
    const h = memoryHarness();
    await h.client.registerDefinition('t', SEED_WORKFLOW.replace('wait: PT0.05S', 'wait: PT0S'));
    const { executionId } = await h.client.startExecution({ tenantId: 't', workflowId: 'simple-test-workflow', input: SEED_INPUT });
    await h.advancer(new ScriptedRunner(() => after(1, { user: { id: 'u1' } }))).advance(executionId);
    const view = toSeedState((await h.store.readState(executionId))!, serializer);
    expect(view).toMatchObject({
      id: executionId,
      status: 'COMPLETED',
      input: SEED_INPUT,
      output: { result: 'workflow completed successfully', user: 'u1' },
      variables: {},
      workflow_id: 'simple-test-workflow',
      workflow_version: '1.0.0',
      current_tasks: [],
      version: 8,
    });
    expect(view.completed_tasks.map((t) => [t.task_name, t.task_id, t.input, t.output])).toEqual([
      ['initialize', '/do/0/initialize', SEED_INPUT, SEED_INPUT],
      ['fetchUser', '/do/1/fetchUser', SEED_INPUT, { user: { id: 'u1' } }],
      ['pause', '/do/2/pause', { user: { id: 'u1' } }, { user: { id: 'u1' } }],
      ['finalize', '/do/3/finalize', { user: { id: 'u1' } }, { result: 'workflow completed successfully', user: 'u1' }],
    ]);
    expect(view.completed_tasks.every((t) => /^\d{4}-\d\d-\d\dT/.test(t.started_at) && t.completed_at >= t.started_at)).toBe(true);
    const { events } = await h.store.readEvents(executionId);
    const completed = toSeedEvent(events[3]!.event, serializer);
    expect(completed).toMatchObject({ event_type: 'io.flunq.task.completed', task_id: '/do/1/fetchUser', sequence: 4, data: { task_name: 'fetchUser', input_data: SEED_INPUT, output_data: { user: { id: 'u1' } } } });
  });

  test("the original system's stored JSON state reads back as it was written", async () => {
    const store = new MemoryIoStore();
    const text = fixture('seed-legacy-state.json');
    store.putRawState('legacy-1', new TextEncoder().encode(text));
    const original = JSON.parse(text) as Record<string, unknown>;
    const view = toSeedState((await store.readState('legacy-1'))!, serializer);
    expect(view).toMatchObject({ id: original['id'], status: original['status'], input: original['input'], output: original['output'], variables: original['variables'] });
    expect(view.completed_tasks.map(({ task_name, input, output, started_at, completed_at }) => ({ task_name, input, output, started_at: started_at.replace('.000Z', 'Z'), completed_at: completed_at.replace('.000Z', 'Z') }))).toEqual(original['completed_tasks']);
  });
});
