import { ExecutionStatus } from '@flunq/proto-types';
import { recompressExecution, resolveColdCompression, type ColdCompressionOptions, type ExecutionIndex, type ExecutionSummary, type RawExecutionStore } from '@flunq/redis-store';

/** What one cold-compression run did (the job's result). */
export interface ColdCompressionReport {
  /** Finished executions that ended long enough ago, looked at. */
  readonly examined: number;
  /** Rewritten with smaller payloads. */
  readonly recompressed: number;
  /** Payloads re-encoded. */
  readonly payloads: number;
  /** Stored bytes (state value plus stream entries) of the examined executions, before and after. */
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly bytesSaved: number;
  /** Changed between read and rewrite: left as they were, for the next run. */
  readonly changedMeanwhile: number;
  /** Left alone without looking at payloads: gone, without state, in the original system's format, or (the listing lagging) not finished. */
  readonly skipped: number;
  /** Stream entries in the original system's format met (never touched: the legacy migration's job). */
  readonly legacyEntries: number;
  readonly failures: readonly { readonly tenantId: string; readonly executionId: string; readonly error: string }[];
  readonly durationMs: number;
}

/** Options of {@link recompressFinished}; the codec options default to `DEFAULT_COLD_COMPRESSION` of `@flunq/redis-store`. */
export interface ColdCompressionJobOptions extends Partial<ColdCompressionOptions> {
  /** Only executions that ended at least this long ago. Default 1 hour: a run is often read right after it ends. */
  readonly olderThanMs?: number;
  /** The time the age is measured from (ms since the epoch). Default `Date.now()`. */
  readonly now?: number;
  /** Executions recompressed at once. Default 4 (the work is mostly CPU). */
  readonly concurrency?: number;
  /** Told after each page of executions (for job progress). */
  readonly onProgress?: (report: ColdCompressionReport) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/** Default of {@link ColdCompressionJobOptions.olderThanMs}. */
export const DEFAULT_COLD_AFTER_MS = 60 * 60 * 1000;

const FINISHED = [ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED];
const PAGE = 200;

/**
 * Cold compression (issue #7) over every tenant: each finished execution (COMPLETED, FAILED,
 * CANCELLED in the listing, and again in its state) that ended at least `olderThanMs` ago has
 * its payloads re-encoded with the stronger codec, in place and atomically (see
 * `recompressExecution` of `@flunq/redis-store`); it stays readable throughout. Running,
 * waiting and pending executions are never listed, and never written even if the listing lags.
 * Idempotent: a second run re-encodes nothing (already cold payloads are recognised by their
 * codec marker) and saves 0 bytes; safe to stop at any point.
 */
export async function recompressFinished(deps: { raw: RawExecutionStore; executions: ExecutionIndex }, options: ColdCompressionJobOptions = {}): Promise<ColdCompressionReport> {
  const started = Date.now();
  const now = options.now ?? started;
  const olderThanMs = options.olderThanMs ?? DEFAULT_COLD_AFTER_MS;
  const codec = resolveColdCompression(options); // bad options fail before any I/O
  const report = { examined: 0, recompressed: 0, payloads: 0, bytesBefore: 0, bytesAfter: 0, changedMeanwhile: 0, skipped: 0, legacyEntries: 0, failures: [] as ColdCompressionReport['failures'][number][] };
  const snapshot = (): ColdCompressionReport => ({ ...report, bytesSaved: report.bytesBefore - report.bytesAfter, failures: [...report.failures], durationMs: Date.now() - started });
  const due = (s: ExecutionSummary): boolean => now - (s.completedAtMs > 0 ? s.completedAtMs : s.updatedAtMs) >= olderThanMs;

  const recompressOne = async (s: ExecutionSummary): Promise<void> => {
    try {
      const result = await recompressExecution(deps.raw, s.executionId, codec);
      report.examined++;
      report.bytesBefore += result.bytesBefore;
      report.bytesAfter += result.bytesAfter;
      report.payloads += result.payloads;
      report.legacyEntries += result.legacyEntries;
      if (result.recompressed) report.recompressed++;
      if (result.changedMeanwhile) report.changedMeanwhile++;
      if (result.skipped) report.skipped++;
    } catch (error) {
      report.failures.push({ tenantId: s.tenantId, executionId: s.executionId, error: error instanceof Error ? error.message : String(error) });
    }
  };

  for (const tenantId of await deps.executions.tenants()) {
    for (const status of FINISHED) {
      let cursor: string | undefined;
      do {
        if (options.signal?.aborted) return snapshot();
        // created before the cutoff is necessary (an execution ends after it starts), not sufficient: `due` decides
        const page = await deps.executions.list({ tenantId, status, createdToMs: now - olderThanMs + 1, limit: PAGE, ...(cursor ? { cursor } : {}) });
        await inBatches(page.items.filter(due), options.concurrency ?? 4, recompressOne);
        await options.onProgress?.(snapshot());
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
  }
  return snapshot();
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += Math.max(1, size)) await Promise.all(items.slice(i, i + Math.max(1, size)).map(run));
}
