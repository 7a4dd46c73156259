import { archiveKey, decodeArchiveAsync, encodeArchiveAsync, type ArchiveBackend, type EncodeArchiveOptions } from '@flunq/archive';
import { randomUUID } from 'node:crypto';
import { purgeGuardOf, type ArchiveTombstone, type ContentIndex, type ExecutionIndex, type ExecutionSummary, type RawExecution, type RawExecutionStore } from '@flunq/redis-store';
import { archiveCovers, archiveOf, membersOf, type ArchivedExecution } from './archive-mapping.js';

/** What archiving one execution did. */
export type ArchiveOutcome =
  /** Archived (or found already archived, byte-equal), verified, and its keys removed for the stage. */
  | { readonly outcome: 'archived'; readonly objectKey: string; readonly bytes: number; readonly written: boolean }
  /** Its keys changed between the archive and the removal (nothing removed; the next run tries again). */
  | { readonly outcome: 'changed' }
  /** Nothing of it is left in Redis and it has no archive (its TTL removed it first): only its listing and search entries were dropped for the stage. */
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

/** A retention stage: `state` removes state, snapshots and search entries; `all` also the stream and the listing entry. */
export type RetentionStage = 'state' | 'all';

/** One execution to archive and the stage it is due for. */
export interface ArchiveRequest {
  readonly summary: ExecutionSummary;
  readonly stage: RetentionStage;
}

interface Current {
  readonly request: ArchiveRequest;
  readonly raw: RawExecution | undefined;
  readonly tombstone: ArchiveTombstone | undefined;
}

/**
 * Moves finished executions to cold storage and back. A batch of executions (one tenant's)
 * becomes one archive object: one write, one read back, every execution checked byte for byte
 * before its keys are removed, and removed only if unchanged. Safe to repeat after a crash at
 * any point: the executions of an object being written are marked `pending` first, so a rerun
 * finds that object and reuses it (no archive is written twice).
 */
export class ExecutionArchiver {
  private readonly decoded = new Map<string, Promise<Map<string, ArchivedExecution> | undefined>>();

  constructor(private readonly deps: ExecutionArchiverDeps) {}

  /** Archives one execution (see {@link ExecutionArchiver.archiveBatch}). */
  async archive(summary: ExecutionSummary, stage: RetentionStage): Promise<ArchiveOutcome> {
    const [outcome] = await this.archiveBatch([{ summary, stage }]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Archives executions of one tenant and removes, for `state`, their state, snapshots and search
   * entries (events stay until their own retention), for `all` their stream and listing entry
   * too. One outcome (or the error of that execution) per request, in order.
   */
  async archiveBatch(requests: readonly ArchiveRequest[]): Promise<(ArchiveOutcome | Error)[]> {
    const { raw } = this.deps;
    const current: Current[] = await Promise.all(requests.map(async (request) => {
      const id = request.summary.executionId;
      const { raw: copy, tombstone } = await raw.readWithTombstone(id);
      return { request, raw: copy, tombstone };
    }));
    const outcomes = new Map<Current, ArchiveOutcome | Error>();
    // executions already in an object (archived at an earlier stage, or written by a run that stopped): reuse it
    const fresh: Current[] = [];
    await Promise.all(
      current.map(async (c) => {
        if (!c.raw) return void outcomes.set(c, await this.settle(c, undefined, 0, false));
        if (!c.tombstone) return void fresh.push(c);
        const member = await this.members(c.tombstone.objectKey).catch((e: unknown) => e as Error);
        const archived = member instanceof Error ? member : member?.get(c.request.summary.executionId);
        // a pending object that is missing, unreadable or incomplete was never used: archive again
        if (c.tombstone.stage === 'pending' && (archived instanceof Error || !archived || !archiveCovers(archived.raw, c.raw))) fresh.push(c);
        else if (archived instanceof Error) outcomes.set(c, archived);
        else if (archived && archiveCovers(archived.raw, c.raw)) outcomes.set(c, await this.settle(c, c.tombstone.objectKey, 0, false));
        else outcomes.set(c, new ArchiveVerificationError(c.tombstone.objectKey, `the archive no longer matches execution ${c.request.summary.executionId}`));
      }),
    );
    if (fresh.length > 0) {
      try {
        await this.writeFresh(fresh, outcomes);
      } catch (error) {
        for (const c of fresh) outcomes.set(c, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return current.map((c) => outcomes.get(c)!);
  }

  // One object for the executions not archived yet: marked pending, written, read back, checked, then settled.
  private async writeFresh(fresh: readonly Current[], outcomes: Map<Current, ArchiveOutcome | Error>): Promise<void> {
    const { raw } = this.deps;
    const now = this.deps.now ?? Date.now;
    const { tenantId, createdAtMs } = fresh[0]!.request.summary;
    const objectKey = archiveKey(tenantId, fresh.length === 1 ? fresh[0]!.request.summary.executionId : `batch-${randomUUID()}`, createdAtMs);
    await Promise.all(fresh.map((c) => raw.markPending(c.request.summary.executionId, { tenantId, objectKey, archivedAtMs: now() })));
    const members = fresh.map((c) => ({ raw: c.raw!, summary: c.request.summary }));
    const encoded = await encodeArchiveAsync(archiveOf(objectKey, members, now()), this.deps.encode);
    await this.deps.backend.put(objectKey, encoded);
    this.decoded.delete(objectKey);
    const back = await this.members(objectKey);
    await Promise.all(
      fresh.map(async (c, i) => {
        const archived = back?.get(c.request.summary.executionId);
        const ok = archived && archiveCovers(archived.raw, c.raw!);
        outcomes.set(c, ok ? await this.settle(c, objectKey, i === 0 ? encoded.byteLength : 0, true) : new ArchiveVerificationError(objectKey, 'read back, it does not hold the execution byte for byte'));
      }),
    );
  }

  /** Where the execution's archive is, once its keys (some or all) left Redis or while it is written (`pending`). */
  tombstone(executionId: string): Promise<ArchiveTombstone | undefined> {
    return this.deps.raw.tombstone(executionId);
  }

  /** The archived keys and summary of an execution (checksums verified), or undefined when it has no archive. */
  async read(executionId: string): Promise<(ArchivedExecution & { objectKey: string }) | undefined> {
    const tombstone = await this.deps.raw.tombstone(executionId);
    if (!tombstone || tombstone.stage === 'pending') return undefined;
    const archived = (await this.members(tombstone.objectKey))?.get(executionId);
    if (!archived) throw new ArchiveVerificationError(tombstone.objectKey, `the archive object is missing or does not hold ${executionId}`);
    return { ...archived, objectKey: tombstone.objectKey };
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

  // Removes the keys for the stage (if unchanged) and the derived entries; `gone` without keys or archive.
  private async settle(c: Current, objectKey: string | undefined, bytes: number, written: boolean): Promise<ArchiveOutcome> {
    const { summary, stage } = c.request;
    const { tenantId, executionId } = summary;
    const key = objectKey ?? c.tombstone?.objectKey;
    if (key === undefined || (!c.raw && c.tombstone?.stage === 'pending')) {
      await this.dropDerived(summary, stage);
      return { outcome: 'gone' };
    }
    const removed = await this.deps.raw.purge(executionId, c.raw ? purgeGuardOf(c.raw) : { stateSha1: '', lastEventId: '' }, { tenantId, objectKey: key, archivedAtMs: (this.deps.now ?? Date.now)(), stage });
    if (!removed) return { outcome: 'changed' };
    await this.dropDerived(summary, stage);
    return { outcome: 'archived', objectKey: key, bytes, written };
  }

  private async dropDerived(summary: ExecutionSummary, stage: RetentionStage): Promise<void> {
    await this.deps.search?.remove(summary.tenantId, summary.executionId);
    if (stage === 'all') await this.deps.executions.remove(summary.tenantId, summary.executionId);
  }

  // An archive object's executions, decoded once (checksums verified) and kept while a few are in use.
  private members(objectKey: string): Promise<Map<string, ArchivedExecution> | undefined> {
    let found = this.decoded.get(objectKey);
    if (!found) {
      found = this.deps.backend.get(objectKey).then(async (bytes) => (bytes ? membersOf(await decodeArchiveAsync(bytes)) : undefined));
      found.catch(() => this.decoded.delete(objectKey));
      this.decoded.set(objectKey, found);
      while (this.decoded.size > 8) this.decoded.delete(this.decoded.keys().next().value!);
    }
    return found;
  }
}
