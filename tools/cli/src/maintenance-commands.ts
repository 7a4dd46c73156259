import { readManifest } from '@flunq/archive';
import { MAINTENANCE_JOBS, maintenanceRun, maintenanceStatus, runMaintenanceNow, type MaintenanceJobName, type MaintenanceRun } from '@flunq/engine';
import { UsageError } from './commands.js';
import type { Connection } from './connection.js';

const FINISHED = new Set(['completed', 'failed']);

/** `jobs run <name> [tenant] [--dry-run] [--wait]`: queues a maintenance run now; with --wait, its final report. */
export async function runJob(
  c: Connection,
  name: string | undefined,
  options: { tenantId?: string; dryRun: boolean; wait: boolean; timeoutMs: number },
): Promise<MaintenanceRun | { id: string; name: string }> {
  const { tenantId, dryRun, wait, timeoutMs } = options;
  if (!MAINTENANCE_JOBS.includes(name as MaintenanceJobName)) throw new UsageError(`jobs run wants one of ${MAINTENANCE_JOBS.join(', ')}, got ${JSON.stringify(name)}`);
  if (dryRun && name !== 'migration') throw new UsageError('--dry-run is for the migration job');
  const id = await runMaintenanceNow(c.maintenance, name as MaintenanceJobName, { ...(tenantId ? { tenantId } : {}), ...(dryRun ? { dryRun } : {}) });
  if (!wait) return { id, name: name! };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await maintenanceRun(c.maintenance, id);
    if (!run) throw new UsageError(`job ${id} is gone from the queue`);
    if (FINISHED.has(run.state) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `jobs status`: the schedules and the latest runs with their reports. */
export function jobsStatus(c: Connection) {
  return maintenanceStatus(c.maintenance);
}

/** `jobs show <id>`: one run (progress while it runs, its report once done). */
export async function showJob(c: Connection, id: string): Promise<MaintenanceRun> {
  const run = await maintenanceRun(c.maintenance, id);
  if (!run) throw new UsageError(`no maintenance job ${id} (finished runs are kept: the last 100 of each outcome)`);
  return run;
}

/** `restore <execution> [--ttl]`: brings an archived execution back into Redis, byte for byte. */
export async function restore(c: Connection, executionId: string, ttlMs: number): Promise<{ id: string; outcome: string }> {
  const outcome = await c.archiver.restore(executionId, ttlMs);
  if (outcome === 'not-archived') throw new UsageError(`execution ${executionId} has no archive`);
  return { id: executionId, outcome };
}

/** `archived <execution>`: where its archive is and what it holds (manifest, checksums verified). */
export async function archived(c: Connection, executionId: string) {
  const tombstone = await c.archiver.tombstone(executionId);
  if (!tombstone) throw new UsageError(`execution ${executionId} has no archive`);
  const bytes = await c.archive.get(tombstone.objectKey);
  if (!bytes) throw new UsageError(`the archive ${tombstone.objectKey} of ${executionId} is missing from the ${c.archive.name} backend`);
  const manifest = readManifest(bytes);
  const counts: Record<string, number> = {};
  for (const e of manifest.entries) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  const { entries: _entries, ...about } = manifest;
  return { ...tombstone, archivedAt: new Date(tombstone.archivedAtMs).toISOString(), objectBytes: bytes.byteLength, ...about, entries: counts };
}
