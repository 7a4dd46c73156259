import { decodeArchiveAsync, FolderArchiveBackend } from '@flunq/archive';
import { createArchiveAccess, createMaintenanceQueue, maintenanceRun, runMaintenanceNow, type SweepReport } from '@flunq/engine';
import { ExecutionStatus } from '@flunq/proto-types';
import { RedisExecutionIndex } from '@flunq/redis-store';
import { ExecutionBuilder } from '@flunq/redis-store/testing';
import { deployment, startService, waitFor, type ServiceProcess } from '@flunq/stack-testing';
import { Redis } from 'ioredis';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, test } from 'vitest';

const EXECUTIONS = 1500;
const DAY = 86_400_000;

describe('maintenance on real worker processes: a retention sweep killed with SIGKILL midway and run again', () => {
  const stack = deployment(inject('redisUrl'));
  const redis = new Redis(inject('redisUrl'));
  const processes: ServiceProcess[] = [];
  let root = '';
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill9()));
    await stack.close();
    redis.disconnect();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Executions archived and removed (their tombstone's stage is `state`), and those marked as being written. */
  const tombstones = async (stage: 'state' | 'pending'): Promise<string[]> => {
    const keys = await redis.keys(`${stack.keyPrefix}workflow:archived:*`);
    const values = keys.length ? await redis.mget(...keys) : [];
    return keys.filter((_, i) => (JSON.parse(values[i]!) as { stage: string }).stage === stage);
  };
  /** Execution ids by archive object (each object decoded, checksums verified). */
  const objects = async (): Promise<string[][]> => {
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.flunqarc'));
    return Promise.all(files.map(async (f) => [...new Set((await decodeArchiveAsync(await readFile(join(root, f)))).entries.map((e) => e.fields?.['execution'] ?? ''))]));
  };

  test('loses nothing, archives nothing twice, and every archived run still reads as before', async () => {
    root = await mkdtemp(join(tmpdir(), 'flunq-e2e-archive-'));
    // finished two days ago: due for the 1-day state TTL of this deployment
    const executions = new RedisExecutionIndex({ redis, keyPrefix: stack.keyPrefix });
    const ended = Date.now() - 2 * DAY;
    const ids: string[] = [];
    for (let i = 0; i < EXECUTIONS; i++) {
      const id = `old-${String(i).padStart(4, '0')}`;
      const b = new ExecutionBuilder(id, undefined, { tenantId: 'tenant-a', startMs: ended - 5000 });
      for (const step of [b.started({ i, text: 'lorem ipsum '.repeat(40) }), b.taskCompleted('work', { i }, { items: Array.from({ length: 30 }, (_, k) => ({ k, i })) }), b.completed({ i })]) await stack.store.recordEvent(step);
      await executions.upsert({ executionId: id, tenantId: 'tenant-a', workflowId: 'wf', workflowVersion: '1', status: ExecutionStatus.COMPLETED, createdAtMs: ended - 5000, updatedAtMs: ended, completedAtMs: ended, correlationId: '', replayOf: '' });
      ids.push(id);
    }
    const before = new Map<string, unknown>();
    for (const id of ids) before.set(id, { state: await stack.store.readState(id), events: await stack.store.readEvents(id) });

    const env = { ...stack.workerEnv('http://127.0.0.1:9'), WORKFLOW_STATE_TTL: '1d', FLUNQ_ARCHIVE_DIR: root, FLUNQ_RETENTION_EVERY: '0', FLUNQ_RETENTION_BATCH: '10', LOG_LEVEL: 'info' };
    const queue = createMaintenanceQueue({ connection: new Redis(inject('redisUrl'), { maxRetriesPerRequest: null }), prefix: stack.queuePrefix });
    const workerA = await startService('worker', env, 'worker started');
    processes.push(workerA);
    await runMaintenanceNow(queue, 'retention');
    await waitFor('the sweep to be under way', async () => ((await tombstones('state')).length >= 40 ? true : undefined), 60_000);
    await workerA.kill9();
    const doneAtKill = (await tombstones('state')).length;
    const inObjectsAtKill = (await objects()).flat().length;
    expect(doneAtKill).toBeLessThan(EXECUTIONS); // killed midway

    const workerB = await startService('worker', env, 'worker started');
    processes.push(workerB);
    const id = await runMaintenanceNow(queue, 'retention');
    const run = await waitFor('the second sweep', async () => {
      const r = await maintenanceRun(queue, id);
      return r?.state === 'completed' || r?.state === 'failed' ? r : undefined;
    }, 120_000);
    expect(run.state).toBe('completed');
    const report = run.report as SweepReport;
    expect(report.failures).toEqual([]);
    expect(report.archived).toBe(EXECUTIONS - doneAtKill);
    // archives written before the kill but not yet followed by the removal are reused, not written again
    expect(report.reused).toBe(inObjectsAtKill - doneAtKill);
    const members = (await objects()).flat();
    expect(members.sort()).toEqual([...ids].sort()); // every execution in exactly one object
    expect(await tombstones('state')).toHaveLength(EXECUTIONS);
    expect(await redis.keys(`${stack.keyPrefix}workflow:state:*`)).toEqual([]);

    // every run still opens, byte for byte the same views, from the archive
    const access = createArchiveAccess({ redisUrl: inject('redisUrl'), keyPrefix: stack.keyPrefix, backend: new FolderArchiveBackend({ root }), primary: stack.store, executions });
    for (const executionId of ids) expect({ state: await access.store.readState(executionId), events: await access.store.readEvents(executionId) }).toEqual(before.get(executionId));
    const metrics = await (await fetch(`${String(workerB.ready['opsUrl'])}/metrics`)).text();
    const line = metrics.split('\n').find((l) => l.startsWith('flunq_maintenance_items_total{') && l.includes('job="retention"') && l.includes('outcome="archived"'));
    const archivedMetric = line?.split(' ').at(-1);
    expect(Number(archivedMetric)).toBe(EXECUTIONS - inObjectsAtKill);
    await access.close();
    await queue.close();
  }, 240_000);
});
