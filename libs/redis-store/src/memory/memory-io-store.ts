import type { WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import type { SizeLimits } from '@flunq/serializer';
import { decodeStateEnvelope, detectFormat, readStateVersion } from '@flunq/serializer';
import { EventEmitter } from 'node:events';
import type { EventPage, IoStore, ReadEventsOptions, ReadStateOptions, RecordEventInput, RecordEventResult, StoredEvent, WatchEventsOptions } from '../io-store.js';
import { assertValidId } from '../keys/key-builder.js';
import { MAX_PAGE_SIZE, pageLimit } from '../records/paging.js';
import { prepareRecord, replyToResult, resolveRetention, type RetentionOptions } from '../records/record-step.js';
import { decodeEventId } from '../records/event-id.js';
import { resolveClaims } from '../records/claim-checks.js';
import { hydrateSnapshot } from '../records/state-snapshot.js';
import { entryIdOf, fromLegacyEntry, fromStoredEvent, sequenceOf, withContext } from '../records/stored-event.js';
import { ScriptReply } from '../redis/scripts.js';
import { checkWatchOptions } from '../redis/watch-events.js';

/** A stream entry as the memory store keeps it: a binary event, or legacy attribute fields. */
export type MemoryEntry =
  | { readonly entryId: string; readonly eventId: Uint8Array; readonly bytes: Uint8Array }
  | { readonly entryId: string; readonly fields: Readonly<Record<string, string>> };

interface Expiring<T> {
  value: T;
  expiresAt?: number;
}

/** Options of {@link MemoryIoStore}. */
export interface MemoryIoStoreOptions extends RetentionOptions {
  /** Size limits checked on every recorded payload. Default: the serializer's DEFAULT_SIZE_LIMITS. */
  readonly limits?: SizeLimits;
  /** Clock for TTLs; default `Date.now`. */
  readonly now?: () => number;
  /** Claim-check threshold, as `RedisIoStoreOptions.claimCheckBytes` (default 256 KiB; 0 = never). */
  readonly claimCheckBytes?: number;
}

function compareEntryIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

/**
 * In-memory adapter of {@link IoStore} with the same semantics and stored bytes as the
 * Redis adapter (it passes the same contract suite). For other projects' unit tests;
 * single process, no persistence.
 */
export class MemoryIoStore implements IoStore {
  private readonly states = new Map<string, Expiring<Uint8Array>>();
  private readonly streams = new Map<string, Expiring<MemoryEntry[]>>();
  /** Claim-checked payload bytes by execution, then sha256 hex (Redis: `workflow:blobs:{<id>}`). */
  private readonly blobs = new Map<string, Expiring<Map<string, Uint8Array>>>();
  private readonly claimCheckBytes: number | undefined;
  private readonly limits: SizeLimits | undefined;
  private readonly retention: { stateTtlMs: number; streamTtlMs: number };
  private readonly now: () => number;
  /** Emits `<executionId>` whenever an entry is appended to that stream (for watchEvents). */
  private readonly appended = new EventEmitter().setMaxListeners(0);

  constructor(options: MemoryIoStoreOptions = {}) {
    this.retention = resolveRetention(options);
    this.limits = options.limits;
    this.now = options.now ?? Date.now;
    this.claimCheckBytes = options.claimCheckBytes;
  }

  recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
    try {
      const record = prepareRecord(input, this.retention, this.limits, this.claimCheckBytes);
      const [code, value] = this.apply(record, input.expectedVersion);
      if (code === ScriptReply.Appended) this.appended.emit(record.executionId);
      return Promise.resolve(replyToResult(record.executionId, input.expectedVersion, code, value));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async readState(executionId: string, options: ReadStateOptions = {}): Promise<WorkflowState | undefined> {
    assertValidId(executionId);
    const bytes = this.live(this.states, executionId);
    if (!bytes) return undefined;
    const state = decodeStateEnvelope(bytes);
    const read = options.hydrate === false ? state : await this.hydrate(executionId, state);
    return (await this.resolve(executionId, [], read)).state;
  }

  private hydrate(executionId: string, state: WorkflowState): Promise<WorkflowState> {
    return hydrateSnapshot(state, async (sequences) => {
      const found = new Map<number, WorkflowEvent>();
      const entries = this.live(this.streams, executionId) ?? [];
      const first = entries[0] && this.toEvent(entries[0], executionId);
      for (const seq of sequences) {
        const entry = entries.find((e) => e.entryId === entryIdOf(seq));
        if (entry) found.set(seq, withContext([this.toEvent(entry, executionId)], first)[0]!);
      }
      return found;
    });
  }

  async readEvents(executionId: string, options: ReadEventsOptions = {}): Promise<EventPage> {
    const page = this.readRawEvents(executionId, options);
    const { events } = await this.resolve(executionId, page.events.map((e) => e.event), undefined);
    return { ...page, events: page.events.map((stored, i) => ({ ...stored, event: events[i]! })) };
  }

  // Claim-checked payloads of these records, put back from the execution's blobs.
  private resolve<S extends WorkflowState | undefined>(executionId: string, events: WorkflowEvent[], state: S): Promise<{ events: WorkflowEvent[]; state: S }> {
    const blobs = this.live(this.blobs, executionId);
    return resolveClaims(executionId, events, state, (hashes) => Promise.resolve(hashes.map((hash) => blobs?.get(hash))));
  }

  private readRawEvents(executionId: string, options: ReadEventsOptions): EventPage {
    assertValidId(executionId);
    const limit = pageLimit(options.limit);
    const entries = this.live(this.streams, executionId) ?? [];
    const after = options.after;
    const rest = after === undefined ? entries : entries.filter((e) => compareEntryIds(e.entryId, after) > 0);
    const rows = rest.slice(0, limit);
    const first = entries[0] && this.toEvent(entries[0], executionId);
    const decoded = withContext(rows.map((entry) => this.toEvent(entry, executionId)), first);
    const events = rows.map((entry, index) => ({ cursor: entry.entryId, event: decoded[index]! }));
    const last = events.at(-1);
    return rest.length > limit && last ? { events, nextCursor: last.cursor } : { events };
  }

  /** Live events: reads what follows `after`, then waits for the next append (or the abort). */
  watchEvents(executionId: string, options: WatchEventsOptions): AsyncIterable<StoredEvent> {
    const { after, signal } = checkWatchOptions(executionId, options);
    return this.watch(executionId, after, signal);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Test hook: stores a raw state value as the original system did (e.g. legacy JSON text). */
  putRawState(executionId: string, value: Uint8Array): void {
    this.states.set(executionId, { value });
  }

  /** Test hook: loses the execution's claim-checked blobs (as if their key were deleted). */
  dropBlobs(executionId: string): void {
    this.blobs.delete(executionId);
  }

  /** Test hook: appends a raw stream entry (e.g. a legacy event with auto-style id). */
  putRawEntry(executionId: string, entry: MemoryEntry): void {
    const stream = this.live(this.streams, executionId) ?? [];
    this.streams.set(executionId, { value: [...stream, entry] });
    this.appended.emit(executionId);
  }

  /** Test hook: the raw stored state bytes, TTL in ms (-1 = none), entries and claim-checked blobs, as Redis would hold them. */
  inspect(executionId: string): { state?: Uint8Array; stateTtlMs: number; entries: MemoryEntry[]; streamTtlMs: number; blobs: ReadonlyMap<string, Uint8Array> } {
    const state = this.states.get(executionId);
    const stream = this.streams.get(executionId);
    const ttl = (item?: Expiring<unknown>): number => (item?.expiresAt === undefined ? -1 : item.expiresAt - this.now());
    return {
      ...(state && this.live(this.states, executionId) ? { state: state.value } : {}),
      stateTtlMs: ttl(state),
      entries: this.live(this.streams, executionId) ?? [],
      streamTtlMs: ttl(stream),
      blobs: new Map(this.live(this.blobs, executionId) ?? []),
    };
  }

  // Mirrors record-event-3.lua step by step.
  private apply(record: ReturnType<typeof prepareRecord>, expected: number): [ScriptReply, number] {
    const { executionId, sequence } = record;
    const stored = this.live(this.states, executionId);
    let current = 0;
    if (stored) {
      if (detectFormat(stored) !== 'binary') return [ScriptReply.NotBinaryState, 0];
      current = readStateVersion(stored);
    }
    const entries = this.live(this.streams, executionId) ?? [];
    if (current !== expected) {
      const at = entries.find((e) => sequenceOf(e.entryId) === sequence);
      if (at && 'eventId' in at && Buffer.compare(at.eventId, record.eventId) === 0) return [ScriptReply.Duplicate, sequence];
      return [ScriptReply.VersionConflict, current];
    }
    const last = entries.at(-1);
    if (last && compareEntryIds(last.entryId, entryIdOf(sequence)) >= 0) return [ScriptReply.StreamAhead, 0];
    const now = this.now();
    const expiry = (ttl: number): number | undefined => (ttl > 0 ? now + ttl : undefined);
    const streamItem = this.streams.get(executionId);
    this.streams.set(executionId, {
      value: [...entries, { entryId: entryIdOf(sequence), eventId: record.eventId, bytes: record.eventBytes }],
      ...(record.streamTtlMs > 0 ? { expiresAt: expiry(record.streamTtlMs) } : streamItem?.expiresAt !== undefined ? { expiresAt: streamItem.expiresAt } : {}),
    });
    if (record.blobs.size > 0 || this.blobs.has(executionId)) {
      const held = this.live(this.blobs, executionId) ?? new Map<string, Uint8Array>();
      for (const [hash, bytes] of record.blobs) if (!held.has(hash)) held.set(hash, bytes);
      const blobItem = this.blobs.get(executionId);
      this.blobs.set(executionId, { value: held, ...(record.streamTtlMs > 0 ? { expiresAt: expiry(record.streamTtlMs) } : blobItem?.expiresAt !== undefined ? { expiresAt: blobItem.expiresAt } : {}) });
    }
    const stateExpiry = expiry(record.stateTtlMs);
    this.states.set(executionId, stateExpiry === undefined ? { value: record.stateBytes } : { value: record.stateBytes, expiresAt: stateExpiry });
    return [ScriptReply.Appended, sequence];
  }

  private async *watch(executionId: string, from: string | undefined, signal: AbortSignal): AsyncGenerator<StoredEvent, void, undefined> {
    let after = from;
    let pending = false;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      pending = true;
      wake?.();
    };
    this.appended.on(executionId, notify);
    signal.addEventListener('abort', notify, { once: true });
    try {
      while (!signal.aborted) {
        pending = false;
        const page = await this.readEvents(executionId, after === undefined ? { limit: MAX_PAGE_SIZE } : { after, limit: MAX_PAGE_SIZE });
        for (const stored of page.events) {
          if (signal.aborted) return;
          after = stored.cursor;
          yield stored;
        }
        if (page.nextCursor !== undefined || pending || signal.aborted) continue;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      this.appended.off(executionId, notify);
      signal.removeEventListener('abort', notify);
    }
  }

  private toEvent(entry: MemoryEntry, executionId: string): WorkflowEvent {
    return 'bytes' in entry
      ? fromStoredEvent(decodeEventId(entry.eventId), entry.bytes, executionId, sequenceOf(entry.entryId))
      : fromLegacyEntry({ ...entry.fields }, executionId);
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
    const item = map.get(key);
    if (!item) return undefined;
    if (item.expiresAt !== undefined && item.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return item.value;
  }
}
