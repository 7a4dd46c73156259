import { randomUUID } from 'node:crypto';
import { createPayloadSerializer } from '@flunq/serializer';
import { RedisIoStore } from '@flunq/redis-store';
import { ExecutionBuilder } from '@flunq/redis-store/testing';
import type { RecordEventInput } from '@flunq/redis-store';
import { benchRedis, memoryUsage, ratio } from './bench-redis.js';
import { jsonDocument, SEED_EXAMPLE } from './data.js';
import { fieldBytes, seedEventFields, type SeedState } from './seed-baseline.js';

interface Execution {
  input: unknown;
  tasks: readonly { name: string; input: unknown; output: unknown }[];
  output: unknown;
}

function seedEvents(id: string, execution: Execution): string[][] {
  const time = '2024-01-15T14:30:00Z';
  return [
    seedEventFields(id, 'io.flunq.execution.started', '', { input: execution.input }, time),
    ...execution.tasks.map((t) =>
      seedEventFields(id, 'io.flunq.task.completed', t.name, { task_name: t.name, input_data: t.input, output_data: t.output }, time),
    ),
    seedEventFields(id, 'io.flunq.execution.completed', '', { output: execution.output }, time),
  ];
}

async function measure(label: string, execution: Execution): Promise<string> {
  const env = await benchRedis();
  try {
    // Baseline: the seed's JSON + SET + XADD.
    const slug = label.replace(/[^a-z0-9]+/gi, '-');
    const seedId = `seed-${slug}`;
    const state: SeedState = {
      id: seedId,
      status: 'COMPLETED',
      input: execution.input,
      output: execution.output,
      variables: SEED_EXAMPLE.variables,
      completed_tasks: execution.tasks.map((t) => ({ task_name: t.name, input: t.input, output: t.output, started_at: '2024-01-15T14:30:00Z', completed_at: '2024-01-15T14:30:01Z' })),
    };
    const stateJson = JSON.stringify(state);
    await env.redis.set(`workflow:state:${seedId}`, stateJson);
    let baseBytes = Buffer.byteLength(stateJson);
    for (const fields of seedEvents(seedId, execution)) {
      await env.redis.xadd(`events:workflow:${seedId}`, '*', ...fields);
      baseBytes += fieldBytes(fields);
    }
    const baseMemory = await memoryUsage(env.redis, [`workflow:state:${seedId}`, `events:workflow:${seedId}`]);

    // flunq-io: binary envelopes through the store.
    const store = new RedisIoStore({ redis: env.redis });
    // Event ids are UUIDs on both sides, as the worker generates them.
    const builder = new ExecutionBuilder(`ours-${slug}`, createPayloadSerializer(), { eventId: () => randomUUID() });
    const steps: RecordEventInput[] = [builder.started(execution.input)];
    for (const t of execution.tasks) steps.push(builder.taskCompleted(t.name, t.input, t.output));
    builder.state.variables = builder.serializer.toPayload(SEED_EXAMPLE.variables);
    steps.push(builder.completed(execution.output));
    for (const step of steps) await store.recordEvent(step);
    const keys = [store.keys.state(builder.executionId), store.keys.events(builder.executionId)];
    const stored = await env.redis.getBuffer(keys[0]!);
    const entries = await env.redis.xrangeBuffer(keys[1]!, '-', '+');
    const ourBytes = (stored?.length ?? 0) + entries.reduce((sum, [, fields]) => sum + fieldBytes(fields), 0);
    const ourMemory = await memoryUsage(env.redis, keys);
    return `| ${label} | ${baseBytes} | ${ourBytes} | **${ratio(ourBytes, baseBytes)}** | ${baseMemory} | ${ourMemory} | ${ratio(ourMemory, baseMemory)} |`;
  } finally {
    await env.close();
  }
}

/** Bytes stored per execution, seed-style JSON vs binary envelopes, for the seed example and sized payloads. */
export async function runBytesStored(): Promise<string[]> {
  const rows = ['| execution | seed-style bytes | flunq bytes | ratio | seed-style MEMORY USAGE | flunq MEMORY USAGE | ratio |', '|---|---|---|---|---|---|---|'];
  rows.push(await measure('seed example (state + 4 tasks + start/end events)', SEED_EXAMPLE as unknown as Execution));
  for (const [label, size] of [['1 KB', 1000], ['4 KB', 4000], ['42 KB', 42_000], ['1 MB', 1_000_000]] as const) {
    const input = jsonDocument(size, 1);
    const output = jsonDocument(size, 2);
    rows.push(await measure(`${label} payloads (input, 1 task, output)`, { input, tasks: [{ name: 'process', input, output }], output }));
  }
  return rows;
}
