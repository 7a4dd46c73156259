import { ExecutionStatus } from '@flunq/proto-types';
import type { ExecutionIndex, ExecutionSummary } from '@flunq/redis-store';
import type { ArchiveOutcome, ArchiveRequest, ExecutionArchiver } from './execution-archiver.js';

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
  /** Finished executions due for a stage and not yet done for it (those an earlier run finished are skipped, not counted). */
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
  /** Executions per archive object (one write, one read back); default 200. */
  readonly batchSize?: number;
  /** Archive objects written at once (each a batch); default 2. A listing page holds `batchSize * parallel` executions (at most 1000). */
  readonly parallel?: number;
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
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const parallel = Math.max(1, options.parallel ?? 2);
  const oldest = Math.min(...[policy.stateTtlMs, policy.eventTtlMs].filter((t) => t > 0));
  if (!Number.isFinite(oldest)) return snapshot();
  const count = (s: ExecutionSummary, outcome: ArchiveOutcome | Error): void => {
    if (!(outcome instanceof Error) && outcome.outcome === 'done') return;
    report.examined++;
    if (outcome instanceof Error) {
      report.failures.push({ tenantId: s.tenantId, executionId: s.executionId, error: outcome.message });
    } else if (outcome.outcome === 'archived') {
      report.archived++;
      if (outcome.written) report.bytesWritten += outcome.bytes;
      else report.reused++;
    } else if (outcome.outcome === 'changed') report.changed++;
    else report.gone++;
  };
  // one archive object per batch (executions done by an earlier run are skipped); up to `parallel`
  // batches in flight while the listing goes on: one encodes while another waits for Redis or the disk
  const inFlight = new Set<Promise<void>>();
  const dispatch = async (batch: readonly ArchiveRequest[]): Promise<void> => {
    while (inFlight.size >= parallel) await Promise.race(inFlight);
    const run = (async () => {
      const outcomes = await deps.archiver.archiveBatch(batch).catch((error: unknown) => batch.map(() => (error instanceof Error ? error : new Error(String(error)))));
      batch.forEach((d, j) => count(d.summary, outcomes[j]!));
      await options.onProgress?.(snapshot());
    })().finally(() => inFlight.delete(run));
    inFlight.add(run);
  };
  try {
    tenants: for (const tenantId of await deps.executions.tenants()) {
      report.tenants++;
      const due: ArchiveRequest[] = [];
      for (const status of FINISHED) {
        let cursor: string | undefined;
        do {
          if (options.signal?.aborted) break tenants;
          // created before the cutoff is necessary (an execution ends after it starts), not sufficient: dueStage decides
          const page = await deps.executions.list({ tenantId, status, createdToMs: now - oldest + 1, limit: Math.min(1000, batchSize * parallel), ...(cursor ? { cursor } : {}) });
          for (const summary of page.items) {
            const stage = dueStage(summary);
            if (stage) due.push({ summary, stage });
          }
          while (due.length >= batchSize) await dispatch(due.splice(0, batchSize));
          cursor = page.nextCursor;
        } while (cursor !== undefined);
      }
      if (due.length > 0) await dispatch(due.splice(0));
    }
  } finally {
    await Promise.all(inFlight);
  }
  return snapshot();
}

