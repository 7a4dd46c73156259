/**
 * Benchmark of cold compression (issue #7): Redis MEMORY USAGE per finished execution as the
 * hot path stores it (zstd level 1 over 1 KiB: the baseline) beside the same execution after
 * `recompressFinished`, and the job's throughput.
 *
 *   npm run bench -- compression
 *
 * Sized by env: REDIS_URL (else a private redis-server; keys go under a unique prefix,
 * removed at the end), COLD_BENCH_N (executions per mix, default 20), COLD_BENCH_N_LARGE
 * (executions of the 1 MB mix, default 3), COLD_BENCH_CODECS (cold settings, default
 * `brotli:11,zstd:19`). Executions are recorded as the engine records them (started, one
 * task.completed per task, completed, the final state with inline variables), with the
 * payload mixes of docs/benchmarks.md "Bytes stored per execution". Payload MB/s counts the
 * uncompressed payload bytes of the executions examined (1 MB = 10^6 bytes); one Node
 * thread. Not a test; numbers vary with the machine and its load.
 */
import { ExecutionStatus, type Payload } from '@flunq/proto-types';
import { RawExecutionStore, RedisExecutionIndex, RedisIoStore, type ColdCompressionOptions } from '@flunq/redis-store';
import { ExecutionBuilder, removeKeysUnder, SEED_EXAMPLE_INPUT } from '@flunq/redis-store/testing';
import { createPayloadSerializer } from '@flunq/serializer';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { recompressFinished } from '@flunq/engine';
import { benchRedis, memoryUsage } from './bench-redis.js';
import { jsonDocument } from './data.js';

const T0 = Date.UTC(2026, 0, 10);
const N = Number(process.env['COLD_BENCH_N'] ?? 20);
const N_LARGE = Number(process.env['COLD_BENCH_N_LARGE'] ?? 3);
const serializer = createPayloadSerializer();

interface Mix {
  readonly label: string;
  readonly count: number;
  readonly input: unknown;
  readonly tasks: readonly { name: string; input: unknown; output: unknown }[];
  readonly output: unknown;
}

function mixes(): Mix[] {
  const seed: Mix = {
    label: 'seed example (state + 4 tasks + start/end events)',
    count: N,
    input: SEED_EXAMPLE_INPUT,
    tasks: [
      { name: 'initialize', input: SEED_EXAMPLE_INPUT, output: { initialized: true } },
      { name: 'processData', input: { source: 'workflow_input', parameters: { number: 42 } }, output: { result: 'processed successfully', metrics: { duration_ms: 12, items: 3 } } },
      { name: 'waitForApproval', input: { result: 'processed successfully' }, output: { approved: true, approver: 'ops-team' } },
      { name: 'finalize', input: { approved: true, number: 42 }, output: { result: 'workflow completed successfully', processed_data: { number: 42, array_sum: 6 } } },
    ],
    output: { result: 'workflow completed successfully', processed_data: { number: 42, array_sum: 6 } },
  };
  const sized = ([label, bytes, count]: readonly [string, number, number]): Mix => {
    const input = jsonDocument(bytes, 1);
    const output = jsonDocument(bytes, 2);
    return { label: `${label} payloads (input, 1 task, output)`, count, input, tasks: [{ name: 'process', input, output }], output };
  };
  return [seed, ...([['4 KB', 4000, N], ['42 KB', 42_000, N], ['1 MB', 1_000_000, N_LARGE]] as const).map(sized)];
}

async function measure(redis: Redis, mix: Mix, cold: Pick<ColdCompressionOptions, 'codec' | 'level'>): Promise<string> {
  const keyPrefix = `bench-cold-${randomUUID()}:`;
  try {
    const store = new RedisIoStore({ redis, keyPrefix, stateTtlMs: 0, eventTtlMs: 0 });
    const executions = new RedisExecutionIndex({ redis, keyPrefix });
    const raw = new RawExecutionStore({ redis, keyPrefix });
    let payloadBytes = 0;
    const counted = (p: Payload): Payload => ((payloadBytes += Number(p.originalSize)), p);
    const keys: string[] = [];
    for (let i = 0; i < mix.count; i++) {
      const id = `exec-${i}`;
      const b = new ExecutionBuilder(id, serializer, { eventId: () => randomUUID(), startMs: T0 - 60_000 });
      const steps = [b.started(mix.input), ...mix.tasks.map((t) => b.taskCompleted(t.name, t.input, t.output))];
      b.state.variables = counted(serializer.toPayload({ temp_var: 'some_value' }));
      steps.push(b.completed(mix.output));
      for (const step of steps) {
        const { data } = step.event;
        const carried = data.case === 'executionStarted' ? [data.value.input] : data.case === 'executionCompleted' ? [data.value.output] : data.case === 'taskCompleted' ? [data.value.inputData, data.value.outputData] : [];
        for (const payload of carried) if (payload) counted(payload);
        await store.recordEvent(step);
      }
      await executions.upsert({ executionId: id, tenantId: 'tenant-a', workflowId: 'wf', workflowVersion: '1', status: ExecutionStatus.COMPLETED, createdAtMs: T0 - 60_000, updatedAtMs: T0, completedAtMs: T0, correlationId: '', replayOf: '' });
      keys.push(store.keys.state(id), store.keys.events(id));
    }
    const before = await memoryUsage(redis, keys);
    const job = (): ReturnType<typeof recompressFinished> => recompressFinished({ raw, executions }, { now: T0 + 86_400_000, olderThanMs: 0, ...cold });
    const first = await job();
    const after = await memoryUsage(redis, keys);
    const second = await job();
    if (first.examined !== mix.count || first.failures.length > 0 || second.bytesSaved !== 0) throw new Error(`unexpected report: ${JSON.stringify({ first, second })}`);
    const seconds = Math.max(first.durationMs, 1) / 1000;
    const per = (bytes: number): number => Math.round(bytes / mix.count);
    const ratio = (after / before).toFixed(2);
    return `| ${mix.label} | ${cold.codec}-${cold.level} | ${per(before)} | ${per(after)} | **${ratio}x** | ${per(first.bytesBefore)} | ${per(first.bytesAfter)} | ${(mix.count / seconds).toFixed(1)} | ${(payloadBytes / 1e6 / seconds).toFixed(2)} | ${second.durationMs} |`;
  } finally {
    await removeKeysUnder(redis, keyPrefix);
  }
}

/** The `compression` suite: rows of a markdown table, the hot path's storage (the baseline) beside cold compression's. */
export async function runColdCompression(): Promise<string[]> {
  const r = await benchRedis();
  try {
    const settings = (process.env['COLD_BENCH_CODECS'] ?? 'brotli:11,zstd:19').split(',').map((item) => {
      const [codec = 'brotli', level = '11'] = item.trim().split(':');
      return { codec: codec as ColdCompressionOptions['codec'], level: Number(level) };
    });
    const rows = [
      `Cold compression, ${N} executions per mix (${N_LARGE} of 1 MB); baseline: as the hot path stores them (zstd-1 over 1 KiB)`,
      '',
      '| execution | cold codec | MEMORY USAGE before (per execution) | after | ratio | stored bytes before | after | executions/s | payload MB/s | second run (ms) |',
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const cold of settings) for (const mix of mixes()) rows.push(await measure(r.redis, mix, cold));
    return rows;
  } finally {
    await r.close();
  }
}
