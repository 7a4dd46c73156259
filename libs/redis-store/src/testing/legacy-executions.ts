import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';
import { createKeyBuilder } from '../keys/key-builder.js';
import { keysUnder } from './key-scan.js';

/** An execution as the original system stored it: the state's JSON text and the stream entries' fields. */
export interface LegacyExecution {
  readonly executionId: string;
  /** The value of `workflow:state:{<id>}`; absent: no state key. */
  readonly state?: string;
  /** Stream entries in order, one field per CloudEvents attribute and `data` as JSON text (ids `*`). */
  readonly entries: readonly Record<string, string>[];
}

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The seed's two fixtures under `executionId`: its state JSON as is, and its task.completed event as one entry. */
export function seedFixtureExecution(executionId: string): LegacyExecution {
  const event = JSON.parse(fixture('seed-legacy-event.json')) as { event_type: string; data: unknown };
  return {
    executionId,
    state: fixture('seed-legacy-state.json'),
    entries: [
      {
        id: 'evt-1', source: 'flunq.io/worker', specversion: '1.0', type: event.event_type, time: '2024-01-15T14:30:01Z',
        workflowid: 'simple-test-workflow', executionid: executionId, taskid: 'processData', tenantid: 'tenant-a', data: JSON.stringify(event.data),
      },
    ],
  };
}

/**
 * A seed-like finished execution of `tasks` tasks (started, then per task started and completed,
 * then completed), its state listing every task with input and output as the original wrote
 * it. `blobBytes` adds a text of that size to the input (default 1,500: over the 1 KiB
 * compression threshold).
 */
export function seedLikeExecution(executionId: string, options: { tasks?: number; tenantId?: string; blobBytes?: number; startMs?: number } = {}): LegacyExecution {
  const tenantId = options.tenantId ?? 'tenant-a';
  const t0 = options.startMs ?? Date.UTC(2024, 0, 15, 14, 30, 0);
  const at = (s: number): string => new Date(t0 + s * 1000).toISOString().replace('.000Z', 'Z');
  const input = { message: 'Hello from Multi-Tenant Postman!', user_id: `user-${executionId}`, notes: 'ünï ✓ '.repeat(Math.ceil((options.blobBytes ?? 1500) / 10)), test_data: { number: 42, array: [1, 2, 3] } };
  let sequence = 0;
  const entry = (type: string, seconds: number, data: unknown, taskid = ''): Record<string, string> => ({
    id: `${executionId}-evt-${++sequence}`, source: 'flunq.io/worker', specversion: '1.0', type, time: at(seconds),
    workflowid: 'simple-test-workflow', executionid: executionId, taskid, tenantid: tenantId, data: JSON.stringify(data),
  });
  const entries = [entry('io.flunq.execution.started', 0, { input, workflow_version: '1.0.0' })];
  const completed: Record<string, unknown>[] = [];
  let value: unknown = input;
  for (let i = 0; i < (options.tasks ?? 4); i++) {
    const task_name = `task${i}`;
    const output = { step: i, items: Array.from({ length: 3 }, (_, n) => ({ n, label: `item ${n} of ${task_name}` })) };
    entries.push(entry('io.flunq.task.started', 2 * i + 1, { task_name, input_data: value }, task_name));
    entries.push(entry('io.flunq.task.completed', 2 * i + 2, { task_name, input_data: value, output_data: output, started_at: at(2 * i + 1), completed_at: at(2 * i + 2) }, task_name));
    completed.push({ task_name, input: value, output, started_at: at(2 * i + 1), completed_at: at(2 * i + 2) });
    value = output;
  }
  const end = 2 * completed.length + 1;
  entries.push(entry('io.flunq.execution.completed', end, { output: value }));
  const state = { id: executionId, tenant_id: tenantId, workflow_id: 'simple-test-workflow', status: 'COMPLETED', input, output: value, variables: { temp_var: 'some_value' }, completed_tasks: completed, created_at: at(0), updated_at: at(end), completed_at: at(end) };
  return { executionId, state: JSON.stringify(state), entries };
}

/** Writes a legacy execution raw, as the original did: SET of the state text, XADD `*` of each entry's fields. */
export async function putLegacyExecution(redis: Redis | Cluster, keyPrefix: string, execution: LegacyExecution): Promise<void> {
  const keys = createKeyBuilder(keyPrefix);
  if (execution.state !== undefined) await redis.set(keys.state(execution.executionId), execution.state);
  for (const fields of execution.entries) await redis.xadd(keys.events(execution.executionId), '*', ...Object.entries(fields).flat());
}

/** Every key under `prefix` on one server as canonical text: strings and hash values as hex, stream entries with ids, TTL presence. */
export async function rawKeyDump(redis: Redis, prefix: string): Promise<string> {
  const keys = await keysUnder(redis, prefix);
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const type = await redis.type(key);
    const ttl = (await redis.pttl(key)) > 0;
    if (type === 'string') out[key] = { ttl, value: (await redis.getBuffer(key))?.toString('hex') };
    else if (type === 'stream') out[key] = { ttl, entries: (await redis.xrangeBuffer(key, '-', '+')).map(([id, f]) => [id.toString(), f.map((b) => b.toString('hex'))]) };
    else if (type === 'hash') out[key] = { ttl, fields: Object.fromEntries(Object.entries(await redis.hgetallBuffer(key)).sort().map(([f, v]) => [f, v.toString('hex')])) };
    else out[key] = { ttl, type };
  }
  return JSON.stringify(out);
}
