import { FolderArchiveBackend } from '@flunq/archive';
import { ExecutionArchiver, indexExecution, sweepRetention, type SweepReport } from '@flunq/engine';
import { ExecutionStatus } from '@flunq/proto-types';
import { RawExecutionStore, RedisContentIndex, RedisExecutionIndex, RedisIoStore } from '@flunq/redis-store';
import { createPayloadSerializer } from '@flunq/serializer';
import { ExecutionBuilder, removeKeysUnder, SEED_EXAMPLE_INPUT } from '@flunq/redis-store/testing';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRedis, ratio, redisCpuMicros } from './bench-redis.js';

const DAY = 86_400_000;
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** JSON-like records of about `bytes` bytes, varied per execution (compresses like real API output, not like one repeated string). */
function history(seed: number, bytes: number): { at: string; page: string; ms: number; ok: boolean }[] {
  const rows: { at: string; page: string; ms: number; ok: boolean }[] = [];
  for (let k = 0, size = 0; size < bytes; k++) {
    const row = { at: new Date(1_700_000_000_000 + seed * 7919 + k * 61_000).toISOString(), page: `/app/${['orders', 'users', 'billing', 'reports'][k % 4]}/${(seed * 31 + k * 17) % 9973}`, ms: (seed + k * 13) % 997, ok: (seed + k) % 11 !== 0 };
    rows.push(row);
    size += JSON.stringify(row).length;
  }
  return rows;
}

/** One deployment (its own key prefix) of `n` finished seed-example executions of one tenant, ended two days ago, created 20 ms apart; indexed in content search when `search` is given (as the worker does). */
async function seedExecutions(r: Awaited<ReturnType<typeof benchRedis>>, n: number, profileBytes: number, withSearch: boolean) {
  const keyPrefix = `bench-retention-${randomUUID().slice(0, 8)}:`;
  const store = new RedisIoStore({ redis: r.redis, keyPrefix, stateTtlMs: 0, eventTtlMs: 0 });
  const executions = new RedisExecutionIndex({ redis: r.redis, keyPrefix });
  const raw = new RawExecutionStore({ redis: r.redis, keyPrefix });
  const search = withSearch ? new RedisContentIndex({ redis: r.redis, keyPrefix }) : undefined;
  const serializer = createPayloadSerializer();
  const ended = Date.now() - 2 * DAY;
  const ids: string[] = [];
  const write = async (i: number): Promise<void> => {
    const id = randomUUID();
    const createdAtMs = ended - 1000 - (n - i) * 20;
    const b = new ExecutionBuilder(id, undefined, { tenantId: 'bench', startMs: createdAtMs });
    const user = { id: `u-${i}`, name: `User ${i}`, email: `u-${i}@example.com`, plan: 'team', visits: i % 1000, ...(profileBytes > 0 ? { history: history(i, profileBytes) } : {}) };
    const steps = [b.started(SEED_EXAMPLE_INPUT), b.taskCompleted('initialize', SEED_EXAMPLE_INPUT, SEED_EXAMPLE_INPUT), b.taskCompleted('fetchUser', SEED_EXAMPLE_INPUT, { user }), b.taskCompleted('pause', { user }, { user }), b.taskCompleted('finalize', { user }, { result: 'workflow completed successfully', user: user.id }), b.completed({ result: 'workflow completed successfully', user: user.id })];
    for (const step of steps) await store.recordEvent(step);
    if (search) await indexExecution(search, store, serializer, (await store.readState(id))!);
    await executions.upsert({ executionId: id, tenantId: 'bench', workflowId: 'simple-test-workflow', workflowVersion: '1', status: ExecutionStatus.COMPLETED, createdAtMs, updatedAtMs: ended, completedAtMs: ended, correlationId: '', replayOf: '' });
    ids.push(id);
  };
  for (let i = 0; i < n; i += 64) await Promise.all(Array.from({ length: Math.min(64, n - i) }, (_, j) => write(i + j)));
  return { keyPrefix, executions, raw, ids, ...(search ? { search } : {}) };
}

type Deployment = Awaited<ReturnType<typeof seedExecutions>>;

/** Runs the two stages of retention over a deployment (state TTL 1 day, events 30 days) and a pass over what is done, timing each. */
async function sweepStages(redis: Redis, d: Deployment, archive: string, options: { batchSize: number; parallel: number; level: number | undefined }) {
  const archiver = new ExecutionArchiver({ raw: d.raw, backend: new FolderArchiveBackend({ root: archive }), executions: d.executions, ...(d.search ? { search: d.search } : {}), ...(options.level === undefined ? {} : { encode: { level: options.level } }) });
  const policy = { stateTtlMs: DAY, eventTtlMs: 30 * DAY };
  // wall time, and the CPU of this process (every thread) and of the Redis server, per execution
  const timed = async (now?: number): Promise<{ report: SweepReport; ms: number; nodeUs: number; redisUs: number }> => {
    const [cpu, redisBefore, t] = [process.cpuUsage(), await redisCpuMicros(redis), performance.now()];
    const report = await sweepRetention({ executions: d.executions, archiver }, policy, { batchSize: options.batchSize, parallel: options.parallel, ...(now ? { now } : {}) });
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    return { report, ms, nodeUs: (used.user + used.system) / d.ids.length, redisUs: ((await redisCpuMicros(redis)) - redisBefore) / d.ids.length };
  };
  const state = await timed();
  const again = await timed();
  const all = await timed(Date.now() + 30 * DAY);
  const n = d.ids.length;
  if (state.report.archived !== n || state.report.failures.length > 0 || again.report.examined !== 0 || all.report.archived !== n || all.report.reused !== n) {
    throw new Error(`unexpected sweep: ${JSON.stringify({ state: { ...state.report, failures: state.report.failures.slice(0, 3) }, again: again.report, all: { ...all.report, failures: all.report.failures.slice(0, 3) } })}`);
  }
  return { state, again, all };
}

/**
 * Retention sweep and archive throughput (issue #7): N finished seed-example executions of one
 * tenant are archived to a folder (brotli 4, fsync'd, read back and verified, then removed from
 * Redis), in two deployments of the same run: executions not in content search, and executions
 * indexed in content search as the worker indexes them (their search entries are removed too).
 * Baseline, same data and run: read every key (`RawExecutionStore.read`) and `fs.writeFile` the
 * raw bytes, no encoding, no verification, no removal (the least work that copies the
 * executions out). Sizes: `BENCH_RETENTION_N` (default 5000), `BENCH_RETENTION_CONCURRENCY`
 * (baseline, default 8), `BENCH_RETENTION_BATCH` (default 200), `BENCH_RETENTION_PARALLEL`
 * (default 2), `BENCH_RETENTION_PAYLOAD` (bytes of JSON history in the fetched user, default 0:
 * the seed example as it is), `BENCH_RETENTION_SEARCH=0` (skip the indexed deployment).
 */
export async function runRetention(): Promise<string[]> {
  const n = Number(process.env['BENCH_RETENTION_N'] ?? 5000);
  const concurrency = Number(process.env['BENCH_RETENTION_CONCURRENCY'] ?? 8);
  const batchSize = Number(process.env['BENCH_RETENTION_BATCH'] ?? 200);
  const profileBytes = Number(process.env['BENCH_RETENTION_PAYLOAD'] ?? 0);
  const parallel = Number(process.env['BENCH_RETENTION_PARALLEL'] ?? 2);
  const level = process.env['BENCH_RETENTION_LEVEL'] === undefined ? undefined : Number(process.env['BENCH_RETENTION_LEVEL']);
  const r = await benchRedis();
  const root = await mkdtemp(join(tmpdir(), 'flunq-bench-archive-'));
  const deployments: Deployment[] = [];
  try {
    const plain = await seedExecutions(r, n, profileBytes, false);
    deployments.push(plain);
    const indexed = process.env['BENCH_RETENTION_SEARCH'] === '0' ? undefined : await seedExecutions(r, n, profileBytes, true);
    if (indexed) deployments.push(indexed);

    // baseline: copy every execution's bytes out to files, nothing else
    let rawBytes = 0;
    const baseDir = join(root, 'baseline');
    await mkdir(baseDir);
    const t = performance.now();
    for (let i = 0; i < plain.ids.length; i += concurrency) {
      await Promise.all(
        plain.ids.slice(i, i + concurrency).map(async (id) => {
          const copy = (await plain.raw.read(id))!;
          const bytes = Buffer.concat([copy.state ?? new Uint8Array(), ...copy.events.flatMap((e) => e.fields)]);
          rawBytes += bytes.byteLength;
          await writeFile(join(baseDir, id), bytes);
        }),
      );
    }
    const baselineMs = performance.now() - t;

    const options = { batchSize, parallel, level };
    const runs = [{ name: 'not in content search', d: plain, ...(await sweepStages(r.redis, plain, join(root, 'plain'), options)) }];
    if (indexed) runs.push({ name: 'indexed in content search (entries removed too)', d: indexed, ...(await sweepStages(r.redis, indexed, join(root, 'indexed'), options)) });

    const perSec = (ms: number): number => n / (ms / 1000);
    const mbPerSec = (bytes: number, ms: number): number => bytes / 1_048_576 / (ms / 1000);
    const row = (label: string, t: { ms: number; nodeUs: number; redisUs: number }, written?: number): string =>
      `| ${label} | ${count(perSec(t.ms))} | ${written === undefined ? '-' : mbPerSec(rawBytes, t.ms).toFixed(1)} | ${written === undefined ? '-' : mbPerSec(written, t.ms).toFixed(1)} | ${count(t.nodeUs)} / ${count(t.redisUs)} | ${ratio(perSec(t.ms), perSec(baselineMs))} |`;
    return [
      `${count(n)} finished seed-example executions per deployment (6 events each${profileBytes ? `, the fetched user with ~${count(profileBytes)} B of history` : ''}, ${count(rawBytes / n)} B of keys each, created 20 ms apart), batches of ${batchSize}, ${parallel} in flight, baseline concurrency ${concurrency}, folder archive on local disk`,
      '',
      '| run | executions/s | raw MB/s | archive MB/s written | CPU us per execution: Node / Redis | vs baseline |',
      '|---|---:|---:|---:|---:|---:|',
      `| baseline: read keys + \`fs.writeFile\` raw bytes | ${count(perSec(baselineMs))} | ${mbPerSec(rawBytes, baselineMs).toFixed(1)} | - | - | 1.00x |`,
      ...runs.flatMap((run) => [
        row(`sweep, state TTL: archive (brotli ${level ?? 4}) + fsync + read back + verify + remove, ${run.name}`, run.state, run.state.report.bytesWritten),
        row(`sweep, event retention: archive reused (read, checked) + stream and listing removed, ${run.name}`, run.all),
        row(`sweep again at the state TTL: every execution done (skip), ${run.name}`, run.again),
      ]),
      '',
      `archives: ${count(runs[0]!.state.report.bytesWritten)} B for ${count(rawBytes)} B of keys (${ratio(runs[0]!.state.report.bytesWritten, rawBytes)})`,
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
    for (const d of deployments) await removeKeysUnder(r.redis, d.keyPrefix);
    await r.close();
  }
}
