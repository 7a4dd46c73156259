import { findLegacyExecutions, migrateExecution, type RawExecutionStore } from '@flunq/redis-store';
import type { Cluster, Redis } from 'ioredis';

/** What one migration run did (the job's result). */
export interface LegacyMigrationReport {
  /** State keys looked at (legacy or not). */
  readonly scanned: number;
  /** Executions found holding the original system's JSON values. */
  readonly legacy: number;
  /** Rewritten in the binary format; in a dry run: would be. */
  readonly migrated: number;
  /** Changed between read and rewrite: left as they were, for the next run. */
  readonly changedMeanwhile: number;
  /** Value bytes (state, stream fields) of the legacy executions before, and after their migration. */
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly bytesSaved: number;
  /** Executions that could not be migrated (unreadable, or the binary form would change what readers see); left as they were. */
  readonly failures: readonly { readonly executionId: string; readonly error: string }[];
  readonly dryRun: boolean;
  readonly durationMs: number;
}

/** Options of {@link migrateLegacy}. */
export interface LegacyMigrationOptions {
  /** Compute and report everything, write nothing. */
  readonly dryRun: boolean;
  /** Told every `progressEvery` executions (for job progress). */
  readonly onProgress?: (report: LegacyMigrationReport) => void | Promise<void>;
  /** Executions migrated at once; default 8. */
  readonly concurrency?: number;
  /** Executions between two `onProgress` calls; default 100. */
  readonly progressEvery?: number;
  /** Stops the run after the executions in flight; the report says how far it got. */
  readonly signal?: AbortSignal;
}

/** What the job needs: byte-level access to executions, and the client (a server or a Cluster) to scan with. */
export interface LegacyMigrationDeps {
  readonly raw: RawExecutionStore;
  readonly redis: Redis | Cluster;
  /** The store's key prefix (`FLUNQ_KEY_PREFIX`), the same as `raw`'s. */
  readonly keyPrefix: string;
}

/**
 * The migration job of issue #7: finds every execution whose state is still the original
 * system's JSON (SCAN on every master, one byte read per key) and rewrites it, state and
 * stream, in the binary format, one atomic rewrite per execution, only if it did not change
 * since it was read (see `migrateExecution`). What readers see stays the same but for what the
 * binary form takes from the position: state `version` and event `sequence` become the event
 * count and the positions, and stream entry ids become `<seq>-0` (cursors held by clients of a
 * migrated execution are invalid afterwards). Idempotent: a second run finds nothing legacy.
 * Failures are reported per execution and do not stop the run; a Redis failure of the scan does.
 */
export async function migrateLegacy(deps: LegacyMigrationDeps, options: LegacyMigrationOptions): Promise<LegacyMigrationReport> {
  const started = Date.now();
  const r = { scanned: 0, legacy: 0, migrated: 0, changedMeanwhile: 0, bytesBefore: 0, bytesAfter: 0, failures: [] as { executionId: string; error: string }[] };
  const snapshot = (): LegacyMigrationReport => ({ ...r, bytesSaved: r.bytesBefore - r.bytesAfter, failures: [...r.failures], dryRun: options.dryRun, durationMs: Date.now() - started });
  const every = Math.max(1, options.progressEvery ?? 100);
  const ids = findLegacyExecutions(deps.redis, deps.keyPrefix, { onScanned: (keys) => (r.scanned += keys) });
  let done = 0;
  const worker = async (): Promise<void> => {
    // an async generator queues concurrent next() calls: each id goes to one worker
    while (!options.signal?.aborted) {
      const next = await ids.next();
      if (next.done) return;
      try {
        const one = await migrateExecution(deps.raw, next.value, { dryRun: options.dryRun });
        if (one.legacy) {
          r.legacy++;
          r.bytesBefore += one.bytesBefore;
          r.bytesAfter += one.migrated ? one.bytesAfter : one.bytesBefore;
        }
        if (one.migrated) r.migrated++;
        if (one.changedMeanwhile) r.changedMeanwhile++;
      } catch (error) {
        r.failures.push({ executionId: next.value, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
      if (++done % every === 0) await options.onProgress?.(snapshot());
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  } finally {
    await ids.return(undefined);
  }
  return snapshot();
}
