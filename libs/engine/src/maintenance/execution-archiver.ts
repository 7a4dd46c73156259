import { archiveKey, decodeArchiveAsync, sealArchiveAsync, verifySealedArchive, type ArchiveBackend, type EncodeArchiveOptions } from '@flunq/archive';
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
  | { readonly outcome: 'gone' }
  /** Archived and removed for the stage by an earlier run (its tombstone says so): nothing done. */
  | { readonly outcome: 'done' };

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
  /** Its tombstone says the requested stage is done already (nothing was read). */
  readonly done: boolean;
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
    if (requests.length === 0) return [];
    const { raw } = this.deps;
    const now = this.deps.now ?? Date.now;
    const { tenantId, createdAtMs } = requests[0]!.summary;
    if (requests.some((r) => r.summary.tenantId !== tenantId)) throw new TypeError('archiveBatch: every execution of a batch must be of one tenant');
    // the object the executions not archived yet go to: each is marked pending for it as it is read
    const pending = { tenantId, objectKey: archiveKey(tenantId, requests.length === 1 ? requests[0]!.summary.executionId : `batch-${randomUUID()}`, createdAtMs), archivedAtMs: now() };
    const current: Current[] = await Promise.all(
      requests.map(async (request) => {
        const read = await raw.readForArchive(request.summary.executionId, { stage: request.stage, pending });
        return { request, raw: read.raw, tombstone: read.tombstone, done: read.done };
      }),
    );
    const outcomes = new Map<Current, ArchiveOutcome | Error>();
    // executions already in an object (archived at an earlier stage, or written by a run that stopped): reuse it
    const fresh: Current[] = [];
    const stale: Current[] = [];
    await Promise.all(
      current.map(async (c) => {
        if (c.done) return void outcomes.set(c, { outcome: 'done' });
        if (!c.raw) return void outcomes.set(c, await this.settle(c, undefined, 0, false));
        if (!c.tombstone) return void fresh.push(c);
        const member = await this.members(c.tombstone.objectKey).catch((e: unknown) => e as Error);
        const archived = member instanceof Error ? member : member?.get(c.request.summary.executionId);
        // a pending object that is missing, unreadable or incomplete was never used: archive again
        if (c.tombstone.stage === 'pending' && (archived instanceof Error || !archived || !archiveCovers(archived.raw, c.raw))) stale.push(c);
        else if (archived instanceof Error) outcomes.set(c, archived);
        else if (archived && archiveCovers(archived.raw, c.raw)) outcomes.set(c, await this.settle(c, c.tombstone.objectKey, 0, false));
        else outcomes.set(c, new ArchiveVerificationError(c.tombstone.objectKey, `the archive no longer matches execution ${c.request.summary.executionId}`));
      }),
    );
    await Promise.all(stale.map((c) => raw.markPending(c.request.summary.executionId, pending)));
    fresh.push(...stale);
    if (fresh.length > 0) {
      try {
        await this.writeFresh(pending.objectKey, fresh, outcomes);
      } catch (error) {
        for (const c of fresh) outcomes.set(c, error instanceof Error ? error : new Error(String(error)));
      }
    }
    await this.dropDerived(tenantId, current, outcomes);
    return current.map((c) => outcomes.get(c)!);
  }

  // One object for the executions not archived yet (marked pending for it): written, read back and
  // checked against what was sealed (so it decodes to these bytes), then settled.
  private async writeFresh(objectKey: string, fresh: readonly Current[], outcomes: Map<Current, ArchiveOutcome | Error>): Promise<void> {
    const now = this.deps.now ?? Date.now;
    const members = fresh.map((c) => ({ raw: c.raw!, summary: c.request.summary }));
    const sealed = await sealArchiveAsync(archiveOf(objectKey, members, now()), this.deps.encode);
    await this.deps.backend.put(objectKey, sealed.bytes);
    this.decoded.delete(objectKey);
    const back = await this.deps.backend.get(objectKey);
    if (!back) throw new ArchiveVerificationError(objectKey, 'read back, it is missing');
    await verifySealedArchive(back, sealed).catch((error: unknown) => {
      throw new ArchiveVerificationError(objectKey, `read back, ${error instanceof Error ? error.message : String(error)}`);
    });
    await Promise.all(fresh.map(async (c, i) => outcomes.set(c, await this.settle(c, objectKey, i === 0 ? sealed.bytes.byteLength : 0, true))));
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

  // Removes the keys for the stage if unchanged (the derived entries go after, for the whole batch); `gone` without keys or archive.
  private async settle(c: Current, objectKey: string | undefined, bytes: number, written: boolean): Promise<ArchiveOutcome> {
    const { summary, stage } = c.request;
    const key = objectKey ?? c.tombstone?.objectKey;
    if (key === undefined || (!c.raw && c.tombstone?.stage === 'pending')) return { outcome: 'gone' };
    const removed = await this.deps.raw.purge(summary.executionId, c.raw ? purgeGuardOf(c.raw) : { stateSha1: '', lastEventId: '' }, { tenantId: summary.tenantId, objectKey: key, archivedAtMs: (this.deps.now ?? Date.now)(), stage });
    if (!removed) return { outcome: 'changed' };
    return { outcome: 'archived', objectKey: key, bytes, written };
  }

  // The search entries (every stage) and listing entries (`all`) of the executions whose keys left
  // Redis for their stage, in one call each. Also for those done by an earlier run: a run stopped
  // between the purge and this leaves them behind, the next one drops them (both calls are idempotent).
  private async dropDerived(tenantId: string, current: readonly Current[], outcomes: Map<Current, ArchiveOutcome | Error>): Promise<void> {
    const left = current.filter((c) => {
      const o = outcomes.get(c);
      return o !== undefined && !(o instanceof Error) && o.outcome !== 'changed';
    });
    if (left.length === 0) return;
    try {
      await this.deps.search?.removeMany(tenantId, left.map((c) => c.request.summary.executionId));
      await this.deps.executions.removeMany(tenantId, left.filter((c) => c.request.stage === 'all').map((c) => c.request.summary.executionId));
    } catch (error) {
      for (const c of left) outcomes.set(c, error instanceof Error ? error : new Error(String(error)));
    }
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
