import { createHash } from 'node:crypto';
import { Redis, type Cluster } from 'ioredis';
import { StorageFailureError, StoreError } from '../errors/store-errors.js';
import { assertValidId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { createScriptRunner } from '../redis/redis-client.js';
import { purgeExecutionScript, readExecutionScript, restoreExecutionScript, rewriteExecutionScript } from '../redis/scripts.js';

/** One stream entry exactly as Redis holds it: its id and its field/value arguments. */
export interface RawStreamEntry {
  readonly id: string;
  /** Field, value, field, value, ... (bytes). */
  readonly fields: readonly Uint8Array[];
}

/** An execution's keys exactly as Redis holds them (what an archive keeps; a restore writes back). */
export interface RawExecution {
  readonly executionId: string;
  /** The state value, absent when the key is. */
  readonly state?: Uint8Array;
  readonly events: readonly RawStreamEntry[];
  /** Time-travel snapshots: field (event sequence) and value. */
  readonly snapshots: readonly (readonly [string, Uint8Array])[];
  /** Claim-checked payload bytes: sha256 hex and bytes (absent: none). */
  readonly blobs?: readonly (readonly [string, Uint8Array])[];
}

/** Where an archived execution went: the tombstone left in `workflow:archived:{<id>}`. */
export interface ArchiveTombstone {
  readonly tenantId: string;
  /** The archive object's key in the archive backend. */
  readonly objectKey: string;
  readonly archivedAtMs: number;
  /**
   * `pending`: an archive is being written (nothing removed yet; a run that stopped here is
   * resumed from that object); `state`: state and snapshots left Redis (events stay until their
   * retention); `all`: everything.
   */
  readonly stage: 'pending' | 'state' | 'all';
}

/** What a purge must find to remove anything: the archived state and last event. */
export interface PurgeGuard {
  readonly stateSha1: string;
  readonly lastEventId: string;
}

/** The archived fingerprint of a raw execution: sha1 of its state bytes and its last stream entry id. */
export function purgeGuardOf(raw: RawExecution): PurgeGuard {
  return { stateSha1: raw.state ? createHash('sha1').update(raw.state).digest('hex') : '', lastEventId: raw.events.at(-1)?.id ?? '' };
}

/**
 * Byte-level access to one execution's keys (state, event stream, snapshots) for archival: read
 * them as they are, write them back exactly (only where none exists), remove them once
 * archived (only if unchanged) with a tombstone naming the archive. Keys share the execution's
 * hash tag: every script touches one slot.
 */
export class RawExecutionStore {
  readonly keys: KeyBuilder;
  private readonly redis: Redis | Cluster;
  private readonly owned: boolean;
  private readonly restoreScript: ReturnType<typeof createScriptRunner>;
  private readonly purgeScript: ReturnType<typeof createScriptRunner>;
  private readonly rewriteScript: ReturnType<typeof createScriptRunner>;
  private readonly readScript: ReturnType<typeof createScriptRunner>;

  constructor(options: { redis: Redis | Cluster | string; keyPrefix?: string }) {
    this.owned = typeof options.redis === 'string';
    this.redis = typeof options.redis === 'string' ? new Redis(options.redis) : options.redis;
    this.keys = createKeyBuilder(options.keyPrefix);
    this.restoreScript = createScriptRunner(this.redis, restoreExecutionScript);
    this.purgeScript = createScriptRunner(this.redis, purgeExecutionScript);
    this.rewriteScript = createScriptRunner(this.redis, rewriteExecutionScript);
    this.readScript = createScriptRunner(this.redis, readExecutionScript, { buffers: true });
  }

  /** The execution's keys as stored; undefined when none of them exists. */
  async read(executionId: string): Promise<RawExecution | undefined> {
    return (await this.readForArchive(executionId)).raw;
  }

  /**
   * The execution's keys as stored (undefined when none exists) and its tombstone, in one script
   * call. With `stage`, an execution whose tombstone says that stage (or `all`) is done is not
   * read (`done`); with `pending`, an execution that has keys and no tombstone is marked
   * `pending` for that archive object in the same call (see {@link RawExecutionStore.markPending}).
   */
  async readForArchive(executionId: string, options: { stage?: 'state' | 'all'; pending?: Omit<ArchiveTombstone, 'stage'> } = {}): Promise<{ raw: RawExecution | undefined; tombstone: ArchiveTombstone | undefined; done: boolean }> {
    const k = this.keysOf(executionId);
    const args = options.stage || options.pending ? [options.stage ?? '', ...(options.pending ? [pendingValue(options.pending)] : [])] : [];
    const reply = (await this.run('read', () => this.readScript([k.state, k.events, k.snapshots, k.blobs, k.archived], args))) as [Buffer | null, [Buffer, Buffer[]][], Buffer[], Buffer[], Buffer | null, number];
    const [state, entries, snapshotFlat, blobFlat, tombstoneBytes, done] = reply;
    const tombstone = tombstoneBytes ? parseTombstone(executionId, tombstoneBytes.toString('utf8')) : undefined;
    if (done === 1) return { raw: undefined, tombstone, done: true };
    const pairs = (flat: Buffer[]): [string, Uint8Array][] => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!.toString('latin1'), flat[2 * i + 1]!]);
    const events = entries.map(([id, fields]): RawStreamEntry => ({ id: id.toString('latin1'), fields }));
    const snapshots = pairs(snapshotFlat);
    const blobs = pairs(blobFlat);
    const found = state || events.length > 0 || snapshots.length > 0 || blobs.length > 0;
    const raw = found ? { executionId, ...(state ? { state } : {}), events, snapshots, ...(blobs.length ? { blobs } : {}) } : undefined;
    return { raw, tombstone, done: false };
  }

  /**
   * Writes the keys back exactly, with a TTL (0 = none). A stream still ending with the same
   * entry is kept (retention removes the state before the events). `exists` (nothing written)
   * when the state or snapshots exist, or the stream holds something else.
   */
  async restore(raw: RawExecution, ttlMs = 0): Promise<'restored' | 'exists'> {
    const k = this.keysOf(raw.executionId);
    const args: (string | Buffer)[] = [raw.state ? '1' : '0', raw.state ? view(raw.state) : '', String(ttlMs), raw.events.at(-1)?.id ?? '', String(raw.events.length)];
    for (const entry of raw.events) args.push(entry.id, String(entry.fields.length), ...entry.fields.map(view));
    args.push(String(raw.snapshots.length));
    for (const [field, value] of raw.snapshots) args.push(field, view(value));
    for (const [hash, value] of raw.blobs ?? []) args.push(hash, view(value));
    const reply = await this.run('restore', () => this.restoreScript([k.state, k.events, k.snapshots, k.blobs], args));
    return reply === 1 ? 'restored' : 'exists';
  }

  /**
   * Removes the state and snapshots (`state`) or everything (`all`) if the keys still hold what
   * `guard` describes (absent keys count as removed), and writes the tombstone, atomically.
   * Returns false (nothing changed) when the execution changed since it was archived.
   */
  async purge(executionId: string, guard: PurgeGuard, tombstone: ArchiveTombstone): Promise<boolean> {
    const k = this.keysOf(executionId);
    const reply = await this.run('purge', () => this.purgeScript([k.state, k.events, k.snapshots, k.archived, k.blobs], [tombstone.stage, guard.stateSha1, guard.lastEventId, JSON.stringify(tombstone)]));
    return reply === 1;
  }

  /**
   * Replaces the state (when `next.state` is given) and the whole stream (when `next.events` is
   * given) with new bytes, keeping their TTLs, if the keys still hold what `guard` describes
   * (see {@link purgeGuardOf}). Returns false (nothing written) when they changed.
   */
  async rewrite(executionId: string, guard: PurgeGuard, next: { state?: Uint8Array; events?: readonly RawStreamEntry[] }): Promise<boolean> {
    const k = this.keysOf(executionId);
    const args: (string | Buffer)[] = [guard.stateSha1, guard.lastEventId, next.state ? '1' : '0', next.state ? view(next.state) : '', next.events ? '1' : '0', String(next.events?.length ?? 0)];
    for (const entry of next.events ?? []) args.push(entry.id, String(entry.fields.length), ...entry.fields.map(view));
    return (await this.run('rewrite', () => this.rewriteScript([k.state, k.events], args))) === 1;
  }

  /** Records that an archive of the execution is being written to `tombstone.objectKey` (stage `pending`), removing nothing. */
  async markPending(executionId: string, tombstone: Omit<ArchiveTombstone, 'stage'>): Promise<void> {
    await this.run('markPending', () => this.redis.set(this.keysOf(executionId).archived, pendingValue(tombstone)));
  }

  /** The tombstone of an archived execution, if any. */
  async tombstone(executionId: string): Promise<ArchiveTombstone | undefined> {
    const raw = await this.run('tombstone', () => this.redis.get(this.keysOf(executionId).archived));
    return raw === null ? undefined : parseTombstone(executionId, raw);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }

  private keysOf(executionId: string): { state: string; events: string; snapshots: string; archived: string; blobs: string } {
    assertValidId(executionId);
    const k = this.keys;
    return { state: k.state(executionId), events: k.events(executionId), snapshots: k.snapshots(executionId), archived: k.archived(executionId), blobs: k.blobs(executionId) };
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StorageFailureError(`raw execution ${operation}`, { cause: error });
    }
  }
}

const pendingValue = (tombstone: Omit<ArchiveTombstone, 'stage'>): string => JSON.stringify({ ...tombstone, stage: 'pending' });

function parseTombstone(executionId: string, text: string): ArchiveTombstone {
  try {
    const value = JSON.parse(text) as ArchiveTombstone;
    if (typeof value.tenantId === 'string' && typeof value.objectKey === 'string' && ['pending', 'state', 'all'].includes(value.stage)) return value;
  } catch {
    // fall through
  }
  throw new StorageFailureError(`tombstone of ${executionId}: unreadable`);
}

const view = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
