import { FolderArchiveBackend } from '@flunq/archive';
import { ExecutionArchiver, sweepRetention, type SweepReport } from '@flunq/engine';
import { ExecutionStatus } from '@flunq/proto-types';
import { RawExecutionStore, RedisExecutionIndex, RedisIoStore } from '@flunq/redis-store';
import { ExecutionBuilder, SEED_EXAMPLE_INPUT } from '@flunq/redis-store/testing';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRedis, ratio } from './bench-redis.js';

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

/** Writes `n` finished seed-example executions (4 tasks, as the engine records them) of one tenant, ended two days ago. */
async function seedExecutions(store: RedisIoStore, executions: RedisExecutionIndex, n: number, profileBytes: number): Promise<string[]> {
  const ended = Date.now() - 2 * DAY;
  const ids: string[] = [];
  const write = async (i: number): Promise<void> => {
    const id = randomUUID();
    const b = new ExecutionBuilder(id, undefined, { tenantId: 'bench', startMs: ended - 1000 });
    const user = { id: `u-${i}`, name: `User ${i}`, email: `u-${i}@example.com`, plan: 'team', visits: i % 1000, ...(profileBytes > 0 ? { history: history(i, profileBytes) } : {}) };
    const steps = [b.started(SEED_EXAMPLE_INPUT), b.taskCompleted('initialize', SEED_EXAMPLE_INPUT, SEED_EXAMPLE_INPUT), b.taskCompleted('fetchUser', SEED_EXAMPLE_INPUT, { user }), b.taskCompleted('pause', { user }, { user }), b.taskCompleted('finalize', { user }, { result: 'workflow completed successfully', user: user.id }), b.completed({ result: 'workflow completed successfully', user: user.id })];
    for (const step of steps) await store.recordEvent(step);
    await executions.upsert({ executionId: id, tenantId: 'bench', workflowId: 'simple-test-workflow', workflowVersion: '1', status: ExecutionStatus.COMPLETED, createdAtMs: ended - 1000, updatedAtMs: ended, completedAtMs: ended, correlationId: '', replayOf: '' });
    ids.push(id);
  };
  for (let i = 0; i < n; i += 64) await Promise.all(Array.from({ length: Math.min(64, n - i) }, (_, j) => write(i + j)));
  return ids;
}

/**
 * Retention sweep and archive throughput (issue #7): N finished seed-example executions of one
 * tenant are archived to a folder (brotli 4, fsync'd, read back and verified, then removed from
 * Redis). Baseline, same data and run: read every key (`RawExecutionStore.read`) and
 * `fs.writeFile` the raw bytes, no encoding, no verification, no removal (the least work that
 * copies the executions out). Sizes: `BENCH_RETENTION_N` (default 5000), `BENCH_RETENTION_CONCURRENCY`
 * (baseline, default 8), `BENCH_RETENTION_BATCH` (default 200), `BENCH_RETENTION_PARALLEL` (default 2), `BENCH_RETENTION_PAYLOAD` (bytes of JSON
 * history in the fetched user, default 0: the seed example as it is).
 */
export async function runRetention(): Promise<string[]> {
  const n = Number(process.env['BENCH_RETENTION_N'] ?? 5000);
  const concurrency = Number(process.env['BENCH_RETENTION_CONCURRENCY'] ?? 8);
  const batchSize = Number(process.env['BENCH_RETENTION_BATCH'] ?? 200);
  const profileBytes = Number(process.env['BENCH_RETENTION_PAYLOAD'] ?? 0);
  const parallel = Number(process.env['BENCH_RETENTION_PARALLEL'] ?? 2);
  const r = await benchRedis();
  const root = await mkdtemp(join(tmpdir(), 'flunq-bench-archive-'));
  const keyPrefix = `bench-retention-${randomUUID().slice(0, 8)}:`;
  try {
    const store = new RedisIoStore({ redis: r.redis, keyPrefix, stateTtlMs: 0, eventTtlMs: 0 });
    const executions = new RedisExecutionIndex({ redis: r.redis, keyPrefix });
    const raw = new RawExecutionStore({ redis: r.redis, keyPrefix });
    const ids = await seedExecutions(store, executions, n, profileBytes);

    // baseline: copy every execution's bytes out to files, nothing else
    let rawBytes = 0;
    const baseDir = join(root, 'baseline');
    await mkdir(baseDir);
    let t = performance.now();
    for (let i = 0; i < ids.length; i += concurrency) {
      await Promise.all(
        ids.slice(i, i + concurrency).map(async (id) => {
          const copy = (await raw.read(id))!;
          const bytes = Buffer.concat([copy.state ?? new Uint8Array(), ...copy.events.flatMap((e) => e.fields)]);
          rawBytes += bytes.byteLength;
          await writeFile(join(baseDir, id), bytes);
        }),
      );
    }
    const baselineMs = performance.now() - t;

    const level = process.env['BENCH_RETENTION_LEVEL'] === undefined ? undefined : Number(process.env['BENCH_RETENTION_LEVEL']);
    const archiver = new ExecutionArchiver({ raw, backend: new FolderArchiveBackend({ root: join(root, 'archive') }), executions, ...(level === undefined ? {} : { encode: { level } }) });
    const policy = { stateTtlMs: DAY, eventTtlMs: 30 * DAY };
    t = performance.now();
    const sweep: SweepReport = await sweepRetention({ executions, archiver }, policy, { batchSize, parallel });
    const sweepMs = performance.now() - t;
    t = performance.now();
    const again = await sweepRetention({ executions, archiver }, policy, { batchSize, parallel });
    const againMs = performance.now() - t;
    if (sweep.archived !== n || sweep.failures.length > 0 || again.examined !== 0) throw new Error(`unexpected sweep: ${JSON.stringify({ sweep: { ...sweep, failures: sweep.failures.slice(0, 3) }, again })}`);

    const perSec = (items: number, ms: number): number => items / (ms / 1000);
    const mbPerSec = (bytes: number, ms: number): number => bytes / 1_048_576 / (ms / 1000);
    return [
      `${count(n)} finished seed-example executions (6 events each${profileBytes ? `, the fetched user with ~${count(profileBytes)} B of history` : ''}, ${count(rawBytes / n)} B of keys each), batches of ${batchSize}, ${parallel} in flight, baseline concurrency ${concurrency}, folder archive on local disk`,
      '',
      '| run | executions/s | raw MB/s | archive MB/s written | vs baseline |',
      '|---|---:|---:|---:|---:|',
      `| baseline: read keys + \`fs.writeFile\` raw bytes | ${count(perSec(n, baselineMs))} | ${mbPerSec(rawBytes, baselineMs).toFixed(1)} | - | 1.00x |`,
      `| sweep: archive (brotli ${level ?? 4}) + fsync + read back + verify + remove | ${count(perSec(n, sweepMs))} | ${mbPerSec(rawBytes, sweepMs).toFixed(1)} | ${mbPerSec(sweep.bytesWritten, sweepMs).toFixed(1)} | ${ratio(perSec(n, sweepMs), perSec(n, baselineMs))} |`,
      `| sweep again: every execution already archived (skip) | ${count(perSec(n, againMs))} | - | - | ${ratio(perSec(n, againMs), perSec(n, baselineMs))} |`,
      '',
      `archives: ${count(sweep.bytesWritten)} B for ${count(rawBytes)} B of keys (${ratio(sweep.bytesWritten, rawBytes)}); ${(sweepMs / 1000).toFixed(1)} s for the sweep, ${(againMs / 1000).toFixed(2)} s for the second`,
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
    for (let c = '0', first = true; first || c !== '0'; first = false) {
      const [next, batch] = await r.redis.scan(c, 'MATCH', `${keyPrefix}*`, 'COUNT', 5000);
      c = next;
      if (batch.length > 0) await r.redis.unlink(...batch);
    }
    await r.close();
  }
}
