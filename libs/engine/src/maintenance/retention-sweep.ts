import { ExecutionStatus } from '@flunq/proto-types';
import type { ExecutionIndex, ExecutionSummary } from '@flunq/redis-store';
import type { ExecutionArchiver } from './execution-archiver.js';

/** The retention policy: how long finished executions keep their state and their events in Redis. */
export interface RetentionPolicy {
  /** `WORKFLOW_STATE_TTL`: state and snapshots (and search entries) leave Redis this long after the end; 0 = never. */
  readonly stateTtlMs: number;
  /** `EVENT_RETENTION_DAYS`: the event stream and the listing entry leave this long after the end; 0 = never. */
  readonly eventTtlMs: number;
}

/** What one sweep did (the job's result). */
export interface SweepReport {
  readonly tenants: number;
  /** Finished executions looked at (old enough to be due for a stage, or already archived). */
  readonly examined: number;
  /** Archived (or found archived) and removed for their stage. */
  readonly archived: number;
  /** Archive bytes written by this sweep (archives already written are not counted again). */
  readonly bytesWritten: number;
  /** Archives reused: already written byte-equal by an earlier run. */
  readonly reused: number;
  /** Changed between archive and removal: left for the next run. */
  readonly changed: number;
  /** Already gone from Redis without an archive (their TTL came first): only listing and search entries dropped. */
  readonly gone: number;
  readonly failures: readonly { readonly tenantId: string; readonly executionId: string; readonly error: string }[];
  readonly durationMs: number;
}

const FINISHED = [ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED];

/** Options of {@link sweepRetention}. */
export interface SweepOptions {
  readonly now?: number;
  /** Executions archived at once; default 8. */
  readonly concurrency?: number;
  /** Told after each page of executions (for job progress). */
  readonly onProgress?: (report: SweepReport) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * One retention sweep over every tenant: finished executions whose end is older than the state
 * TTL are archived (verified) and lose their state, snapshots and search entries; those older
 * than the event retention also lose their stream and listing entry. Running, waiting and
 * pending executions are never touched, whatever their age (only finished statuses are read).
 * Idempotent and safe to run again after a crash at any point (see {@link ExecutionArchiver}).
 */
export async function sweepRetention(deps: { executions: ExecutionIndex; archiver: ExecutionArchiver }, policy: RetentionPolicy, options: SweepOptions = {}): Promise<SweepReport> {
  const started = Date.now();
  const now = options.now ?? started;
  const report = { tenants: 0, examined: 0, archived: 0, bytesWritten: 0, reused: 0, changed: 0, gone: 0, failures: [] as SweepReport['failures'][number][] };
  const snapshot = (): SweepReport => ({ ...report, failures: [...report.failures], durationMs: Date.now() - started });
  const dueStage = (s: ExecutionSummary): 'state' | 'all' | undefined => {
    const endedAt = s.completedAtMs > 0 ? s.completedAtMs : s.updatedAtMs;
    if (policy.eventTtlMs > 0 && now - endedAt >= policy.eventTtlMs) return 'all';
    if (policy.stateTtlMs > 0 && now - endedAt >= policy.stateTtlMs) return 'state';
    return undefined;
  };
  const oldest = Math.min(...[policy.stateTtlMs, policy.eventTtlMs].filter((t) => t > 0));
  if (!Number.isFinite(oldest)) return snapshot();
  const archiveOne = async (s: ExecutionSummary, stage: 'state' | 'all'): Promise<void> => {
    try {
      const tombstone = await deps.archiver.tombstone(s.executionId);
      if (tombstone?.stage === 'all' || (tombstone?.stage === 'state' && stage === 'state')) return; // done by an earlier run
      report.examined++;
      const outcome = await deps.archiver.archive(s, stage);
      if (outcome.outcome === 'archived') {
        report.archived++;
        if (outcome.written) report.bytesWritten += outcome.bytes;
        else report.reused++;
      } else if (outcome.outcome === 'changed') report.changed++;
      else report.gone++;
    } catch (error) {
      report.failures.push({ tenantId: s.tenantId, executionId: s.executionId, error: error instanceof Error ? error.message : String(error) });
    }
  };
  for (const tenantId of await deps.executions.tenants()) {
    report.tenants++;
    for (const status of FINISHED) {
      let cursor: string | undefined;
      do {
        if (options.signal?.aborted) return snapshot();
        // created before the cutoff is necessary (an execution ends after it starts), not sufficient: dueStage decides
        const page = await deps.executions.list({ tenantId, status, createdToMs: now - oldest + 1, limit: 200, ...(cursor ? { cursor } : {}) });
        const due = page.items.flatMap((s) => {
          const stage = dueStage(s);
          return stage ? [{ s, stage }] : [];
        });
        await inBatches(due, options.concurrency ?? 8, ({ s, stage }) => archiveOne(s, stage));
        await options.onProgress?.(snapshot());
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
  }
  return snapshot();
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
