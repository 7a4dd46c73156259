import { randomBytes } from 'node:crypto';
import { MemoryDefinitionStore, MemoryIoStore } from '@flunq/redis-store';
import { createPayloadSerializer, DEFAULT_REDACTED_FIELDS, Redactor } from '@flunq/serializer';
import { describe, expect, test } from 'vitest';
import { EngineClient } from '../src/client/engine-client.js';
import { ExecutionAdvancer } from '../src/execution/advancer.js';
import { DefinitionCache } from '../src/execution/definitions.js';
import { toSeedEvent, toSeedState } from '../src/views/seed-view.js';
import { after, RecordingScheduler, ScriptedRunner } from './engine-harness.js';

const LOGIN = `document: { dsl: '1.0.0', namespace: t, name: login, version: '1.0.0' }
do:
  - pause: { wait: PT0.02S }
  - login:
      call: http
      with: { method: post, endpoint: 'http://auth.test/' }
`;
const INPUT = { user: 'ada', password: 'hunter2', headers: { Authorization: 'Bearer s3cr3t' } };

/** Runs LOGIN with a fresh advancer per step (each one refolds from the stored events, as after a restart). */
async function run(key: Uint8Array | undefined) {
  const serializer = createPayloadSerializer({ redactor: new Redactor(DEFAULT_REDACTED_FIELDS, key) });
  const store = new MemoryIoStore();
  const definitions = new MemoryDefinitionStore();
  const scheduler = new RecordingScheduler();
  const client = new EngineClient({ store, definitions, scheduler, serializer });
  await client.registerDefinition('t', LOGIN);
  const { executionId } = await client.startExecution({ tenantId: 't', workflowId: 'login', input: INPUT });
  const runner = new ScriptedRunner(() => after(0, { ok: true, token: 'tok-123', refresh_token: 'r-456' }));
  for (let i = 0; i < 3; i++) {
    await new ExecutionAdvancer({ store, definitions: new DefinitionCache(definitions), runner, scheduler, serializer }).advance(executionId);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // Everything stored for the execution, as bytes (payloads this small are not compressed).
  const raw = store.inspect(executionId);
  const dump = Buffer.concat([raw.state ?? new Uint8Array(), ...raw.entries.map((e) => ('bytes' in e ? e.bytes : new Uint8Array()))]).toString('latin1');
  expect(dump).toMatch(/ada/); // the check can see plain values
  return { store, serializer, executionId, runner, dump };
}

describe('secrets are redacted before storage', () => {
  test('with the secrets key: nothing secret is stored, views show [REDACTED], and the engine still gets the values after a refold', async () => {
    const { store, serializer, executionId, runner, dump } = await run(randomBytes(32));
    expect(dump).not.toMatch(/hunter2|s3cr3t|r-456/);
    expect(runner.calls.at(-1)?.input).toEqual(INPUT); // the call ran after a refold, with the real values
    const view = toSeedState((await store.readState(executionId))!, createPayloadSerializer());
    expect(view).toMatchObject({ status: 'COMPLETED', input: { user: 'ada', password: '[REDACTED]', headers: { Authorization: '[REDACTED]' } } });
    expect(view.output).toEqual({ ok: true, token: 'tok-123', refresh_token: '[REDACTED]' });
    const events = (await store.readEvents(executionId)).events.map((e) => toSeedEvent(e.event, serializer));
    expect(JSON.stringify(events)).not.toMatch(/hunter2|s3cr3t|r-456/);
    expect(events.find((e) => e.event_type === 'io.flunq.task.started' && e.task_id === '/do/1/login')?.data).toMatchObject({ input_data: { password: '[REDACTED]' } });
  });

  test('without a key the values are dropped: stored nowhere, and a refolded execution sees the marker', async () => {
    const { runner, dump } = await run(undefined);
    expect(dump).not.toMatch(/hunter2|s3cr3t|r-456/);
    expect(runner.calls.at(-1)?.input).toMatchObject({ user: 'ada', password: { $redacted: 'dropped' } });
  });
});
