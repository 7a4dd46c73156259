import { archiveKey, decodeArchiveAsync, encodeArchiveAsync, type ArchiveBackend, type EncodeArchiveOptions } from '@flunq/archive';
import { purgeGuardOf, type ArchiveTombstone, type ContentIndex, type ExecutionIndex, type ExecutionSummary, type RawExecution, type RawExecutionStore } from '@flunq/redis-store';
import { archiveCovers, archiveOf, rawOf } from './archive-mapping.js';

/** What archiving one execution did. */
export type ArchiveOutcome =
  /** Archived (or found already archived, byte-equal), verified, and its keys removed for the stage. */
  | { readonly outcome: 'archived'; readonly objectKey: string; readonly bytes: number; readonly written: boolean }
  /** Its keys changed between the archive and the removal (nothing removed; the next run tries again). */
  | { readonly outcome: 'changed' }
  /** Nothing of it is left in Redis and it has no archive (its TTL removed it first): only its listing and search entries were dropped. */
  | { readonly outcome: 'gone' };

/** The archive read back does not hold what was archived. */
export class ArchiveVerificationError extends Error {
  readonly code = 'ARCHIVE_VERIFICATION_FAILED';
  constructor(
    readonly objectKey: string,
    detail: string,
  ) {
    super(`archive ${objectKey} failed verification: ${detail}`);
    this.name = 'ArchiveVerificationError';
  }
}

/** What {@link ExecutionArchiver} works with. */
export interface ExecutionArchiverDeps {
  readonly raw: RawExecutionStore;
  readonly backend: ArchiveBackend;
  readonly executions: ExecutionIndex;
  /** Search entries are dropped with the state (they describe it). */
  readonly search?: ContentIndex;
  readonly now?: () => number;
  readonly encode?: EncodeArchiveOptions;
}

/**
 * Moves finished executions to cold storage and back. Archiving is idempotent and safe to
 * repeat after a crash at any point: an archive already holding the same bytes is reused (never
 * written twice), every archive is read back and checked before anything is removed, and the
 * removal only happens if the keys are still what was archived.
 */
export class ExecutionArchiver {
  constructor(private readonly deps: ExecutionArchiverDeps) {}

  /**
   * Archives the execution of `summary` and removes, for `state`, its state, snapshots and search
   * entries (its events stay until their own retention); for `all`, its stream and listing too.
   */
  async archive(summary: ExecutionSummary, stage: 'state' | 'all'): Promise<ArchiveOutcome> {
    const { raw, backend, executions, search } = this.deps;
    const { tenantId, executionId } = summary;
    const current = await raw.read(executionId);
    const tombstone = await raw.tombstone(executionId);
    const objectKey = tombstone?.objectKey ?? archiveKey(tenantId, executionId, summary.createdAtMs);
    const dropDerived = async (): Promise<void> => {
      await search?.remove(tenantId, executionId);
      if (stage === 'all') await executions.remove(tenantId, executionId);
    };
    if (!current) {
      if (!tombstone) {
        await dropDerived();
        return { outcome: 'gone' };
      }
      // removed by an earlier run that stopped before the derived entries
      await raw.purge(executionId, { stateSha1: '', lastEventId: '' }, { ...tombstone, stage: stage === 'all' ? 'all' : tombstone.stage });
      await dropDerived();
      return { outcome: 'archived', objectKey, bytes: 0, written: false };
    }
    const existing = await this.load(objectKey);
    let written = false;
    let bytes = existing?.bytes ?? 0;
    if (!existing || !archiveCovers(existing.raw, current)) {
      if (tombstone && !current.state) throw new ArchiveVerificationError(objectKey, 'the archive no longer matches the events left in Redis');
      const encoded = await encodeArchiveAsync(archiveOf(current, summary, (this.deps.now ?? Date.now)()), this.deps.encode);
      await backend.put(objectKey, encoded);
      const back = await this.load(objectKey);
      if (!back || !archiveCovers(back.raw, current)) throw new ArchiveVerificationError(objectKey, 'read back, it does not hold the execution byte for byte');
      written = true;
      bytes = encoded.byteLength;
    }
    const removed = await raw.purge(executionId, purgeGuardOf(current), { tenantId, objectKey, archivedAtMs: (this.deps.now ?? Date.now)(), stage });
    if (!removed) return { outcome: 'changed' };
    await dropDerived();
    return { outcome: 'archived', objectKey, bytes, written };
  }

  /** Where the execution's archive is, once its keys (some or all) left Redis. */
  tombstone(executionId: string): Promise<ArchiveTombstone | undefined> {
    return this.deps.raw.tombstone(executionId);
  }

  /** The archived keys and summary of an execution (checksums verified), or undefined when it has no archive. */
  async read(executionId: string): Promise<{ raw: RawExecution; summary: ExecutionSummary; objectKey: string } | undefined> {
    const tombstone = await this.deps.raw.tombstone(executionId);
    if (!tombstone) return undefined;
    const loaded = await this.load(tombstone.objectKey);
    if (!loaded) throw new ArchiveVerificationError(tombstone.objectKey, 'the archive object is missing');
    return { raw: loaded.raw, summary: loaded.summary, objectKey: tombstone.objectKey };
  }

  /**
   * Brings an archived execution back into Redis byte for byte (for `ttlMs`, 0 = keep) and into
   * the listing. `exists` when its keys are (still) in Redis; `not-archived` without a tombstone.
   */
  async restore(executionId: string, ttlMs = 0): Promise<'restored' | 'exists' | 'not-archived'> {
    const archived = await this.read(executionId);
    if (!archived) return 'not-archived';
    const outcome = await this.deps.raw.restore(archived.raw, ttlMs);
    if (outcome === 'restored') await this.deps.executions.upsert(archived.summary);
    return outcome;
  }

  // The archive object, decoded and checked (checksums); undefined when there is none.
  private async load(objectKey: string): Promise<{ raw: RawExecution; summary: ExecutionSummary; bytes: number } | undefined> {
    const bytes = await this.deps.backend.get(objectKey);
    if (!bytes) return undefined;
    const { raw, summary } = rawOf(await decodeArchiveAsync(bytes));
    return { raw, summary, bytes: bytes.byteLength };
  }
}
