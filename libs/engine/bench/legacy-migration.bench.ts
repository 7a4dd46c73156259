/**
 * Benchmark of the legacy migration job (issue #7): writes seed-like executions in the
 * original system's JSON format, migrates them with `migrateLegacy`, and prints the rate
 * (executions/s, beside a dry run of the same executions as the baseline: scan + read +
 * encode, no write) and Redis `MEMORY USAGE` per execution before and after.
 *
 *   npx tsx --conditions=@flunq/source libs/engine/bench/legacy-migration.bench.ts
 *
 * Sized by env: LEGACY_BENCH_EXECUTIONS (default 2000), LEGACY_BENCH_TASKS (tasks per
 * execution, default 4; 2 events each plus started and completed), LEGACY_BENCH_BLOB
 * (extra input bytes, default 1500), LEGACY_BENCH_CONCURRENCY (default 8). REDIS_URL
 * (default redis://127.0.0.1:6379); everything goes under a unique key prefix, removed at
 * the end. Not a test; numbers vary with the machine and its load.
 */
import { RawExecutionStore } from '@flunq/redis-store';
import { putLegacyExecution, removeKeysUnder, seedLikeExecution } from '@flunq/redis-store/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { migrateLegacy } from '../src/maintenance/legacy-migration-job.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const EXECUTIONS = env('LEGACY_BENCH_EXECUTIONS', 2000);
const TASKS = env('LEGACY_BENCH_TASKS', 4);
const BLOB = env('LEGACY_BENCH_BLOB', 1500);
const CONCURRENCY = env('LEGACY_BENCH_CONCURRENCY', 8);

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
const keyPrefix = `bench-legacy-${randomUUID()}:`;
const raw = new RawExecutionStore({ redis, keyPrefix });
const ids = Array.from({ length: EXECUTIONS }, (_, i) => `exec-${String(i).padStart(6, '0')}`);

/** MEMORY USAGE (SAMPLES 0: exact) of every execution key, summed. */
async function memory(): Promise<{ state: number; stream: number; stateBytes: number }> {
  const sum = async (command: (id: string) => Promise<unknown>): Promise<number> => (await Promise.all(ids.map(command))).reduce<number>((a, b) => a + Number(b ?? 0), 0);
  return {
    state: await sum((id) => redis.call('MEMORY', 'USAGE', raw.keys.state(id), 'SAMPLES', '0')),
    stream: await sum((id) => redis.call('MEMORY', 'USAGE', raw.keys.events(id), 'SAMPLES', '0')),
    stateBytes: await sum((id) => redis.strlen(raw.keys.state(id))),
  };
}

const perExecution = (bytes: number): string => (bytes / EXECUTIONS).toFixed(0).padStart(7);

try {
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(ids.slice(i, i + 100).map((id) => putLegacyExecution(redis, keyPrefix, seedLikeExecution(id, { tasks: TASKS, blobBytes: BLOB }))));
  }
  const before = await memory();
  const dry = await migrateLegacy({ raw, redis, keyPrefix }, { dryRun: true, concurrency: CONCURRENCY });
  const real = await migrateLegacy({ raw, redis, keyPrefix }, { dryRun: false, concurrency: CONCURRENCY });
  const after = await memory();
  const again = await migrateLegacy({ raw, redis, keyPrefix }, { dryRun: false, concurrency: CONCURRENCY });
  if (real.migrated !== EXECUTIONS || real.failures.length > 0 || again.legacy !== 0) throw new Error(`unexpected report: ${JSON.stringify({ real, again })}`);
  const rate = (r: { durationMs: number }): string => (EXECUTIONS / (r.durationMs / 1000)).toFixed(0).padStart(7);
  console.log(`legacy migration: ${EXECUTIONS} executions, ${TASKS} tasks (${2 * TASKS + 2} events) each, input blob ${BLOB} B, concurrency ${CONCURRENCY}`);
  console.log(`  rate (exec/s)       dry run (baseline) ${rate(dry)}   migration ${rate(real)}   rerun (scan only) ${rate(again)}`);
  console.log('  MEMORY USAGE / execution   before (JSON)   after (binary)   ratio');
  for (const [name, b, a] of [['state', before.state, after.state], ['stream', before.stream, after.stream], ['total', before.state + before.stream, after.state + after.stream]] as const) {
    console.log(`    ${name.padEnd(22)} ${perExecution(b)} B       ${perExecution(a)} B      ${(a / b).toFixed(3)}`);
  }
  console.log(`  state value (STRLEN)       ${perExecution(before.stateBytes)} B       ${perExecution(after.stateBytes)} B      ${(after.stateBytes / before.stateBytes).toFixed(3)}`);
  console.log(`  value bytes / execution    ${perExecution(real.bytesBefore)} B       ${perExecution(real.bytesAfter)} B      ${(real.bytesAfter / real.bytesBefore).toFixed(3)}`);
} finally {
  await removeKeysUnder(redis, keyPrefix);
  redis.disconnect();
}
