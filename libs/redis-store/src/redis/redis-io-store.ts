import { Redis } from 'ioredis';
import type { WorkflowEvent, WorkflowState } from '@flunq/proto-types';
import type { SizeLimits } from '@flunq/serializer';
import { asUint8Array, decodeStateEnvelope } from '@flunq/serializer';
import { StorageFailureError } from '../errors/store-errors.js';
import type { EventPage, IoStore, ReadEventsOptions, ReadStateOptions, RecordEventInput, RecordEventResult, StoredEvent, WatchEventsOptions } from '../io-store.js';
import { createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { prepareRecord, replyToResult, resolveRetention, type RetentionOptions } from '../records/record-step.js';
import { resolveClaims } from '../records/claim-checks.js';
import { hydrateSnapshot } from '../records/state-snapshot.js';
import { entryIdOf, withContext } from '../records/stored-event.js';
import { decodeStreamEntry } from '../records/stream-entry.js';
import { pageLimit } from '../records/paging.js';
import { createScriptRunner, type RedisClient } from './redis-client.js';
import { recordEventScript } from './scripts.js';
import { checkWatchOptions, watchStream } from './watch-events.js';

/** Options of {@link RedisIoStore}. */
export interface RedisIoStoreOptions extends RetentionOptions {
  /** Size limits checked on every recorded payload. Default: the serializer's DEFAULT_SIZE_LIMITS. */
  readonly limits?: SizeLimits;
  /**
   * A connected client (a `Redis` or a `Cluster`), or a URL (default `redis://localhost:6379`)
   * for a client the store owns; that one auto-pipelines, so concurrent steps share writes
   * (`BENCH_AUTOPIPELINE=0 npm run bench -- steps` shows the difference).
   */
  readonly redis?: RedisClient | string;
  /** Deployment namespace prepended to every key, e.g. `prod:`. Default none. */
  readonly keyPrefix?: string;
  /**
   * Claim check (`FLUNQ_CLAIM_CHECK_SIZE`): payloads stored in this many bytes or more (after
   * compression) are kept once in `workflow:blobs:{<id>}` and fetched when read. Default 256 KiB; 0 = never.
   */
  readonly claimCheckBytes?: number;
}

type RawEntry = [Buffer, Buffer[]];

/** A Buffer over the same memory (ioredis sends Buffers as binary; Buffer.from(Uint8Array) would copy). */
const bufferView = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The Redis adapter of {@link IoStore}: one Lua script per state change, one slot per execution. */
export class RedisIoStore implements IoStore {
  readonly keys: KeyBuilder;
  private readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly limits: SizeLimits | undefined;
  private readonly retention: { stateTtlMs: number; streamTtlMs: number };
  private readonly recordScript: ReturnType<typeof createScriptRunner>;
  private readonly claimCheckBytes: number | undefined;

  constructor(options: RedisIoStoreOptions = {}) {
    const redis = options.redis ?? 'redis://localhost:6379';
    this.ownsClient = typeof redis === 'string';
    this.client = typeof redis === 'string' ? new Redis(redis, { enableAutoPipelining: true }) : redis;
    this.keys = createKeyBuilder(options.keyPrefix);
    this.retention = resolveRetention(options);
    this.limits = options.limits;
    this.recordScript = createScriptRunner(this.client, recordEventScript);
    this.claimCheckBytes = options.claimCheckBytes;
  }

  async recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
    const record = prepareRecord(input, this.retention, this.limits, this.claimCheckBytes);
    const { executionId } = record;
    const blobs = [...record.blobs].flatMap(([hash, bytes]) => [hash, bufferView(bytes)]);
    const reply = await this.run('recordEvent', () =>
      this.recordScript(
        [this.keys.state(executionId), this.keys.events(executionId), this.keys.blobs(executionId)],
        [
          String(input.expectedVersion),
          record.eventId,
          bufferView(record.eventBytes),
          bufferView(record.stateBytes),
          String(record.stateTtlMs),
          String(record.streamTtlMs),
          ...blobs,
        ],
      ),
    );
    if (!Array.isArray(reply) || reply.length !== 2) throw new StorageFailureError('recordEvent: unexpected reply');
    return replyToResult(executionId, input.expectedVersion, Number(reply[0]), Number(reply[1]));
  }

  async readState(executionId: string, options: ReadStateOptions = {}): Promise<WorkflowState | undefined> {
    const key = this.keys.state(executionId);
    const bytes = await this.run('readState', () => this.client.getBuffer(key));
    if (!bytes) return undefined;
    const state = decodeStateEnvelope(asUint8Array(bytes));
    const read = options.hydrate === false ? state : await hydrateSnapshot(state, (sequences) => this.eventsAt(executionId, sequences));
    return (await this.resolve(executionId, [], read)).state;
  }

  async readEvents(executionId: string, options: ReadEventsOptions = {}): Promise<EventPage> {
    const limit = pageLimit(options.limit);
    const key = this.keys.events(executionId);
    const start = options.after ? `(${options.after}` : '-';
    const [entries, firstEntries] = await this.pipelined('readEvents', (p) => {
      p.xrangeBuffer(key, start, '+', 'COUNT', limit + 1);
      if (options.after) p.xrangeBuffer(key, '-', '+', 'COUNT', 1); // the first event holds the shared attributes
    });
    const rows = (entries ?? []).slice(0, limit);
    const first = (firstEntries ?? entries ?? [])[0];
    const events = withContext(
      rows.map((entry) => this.entryToEvent(entry, executionId)),
      first ? this.entryToEvent(first, executionId) : undefined,
    );
    const resolved = (await this.resolve(executionId, events, undefined)).events;
    const page = resolved.map((event, index) => ({ cursor: rows[index]![0].toString('latin1'), event }));
    const last = page.at(-1);
    return (entries ?? []).length > limit && last ? { events: page, nextCursor: last.cursor } : { events: page };
  }

  /** Live events: `XREAD BLOCK` on a dedicated connection per watch (see watch-events.ts); claim checks resolved per event. */
  watchEvents(executionId: string, options: WatchEventsOptions): AsyncIterable<StoredEvent> {
    return this.resolving(executionId, this.watchRaw(executionId, options)); // arguments checked now, not at the first read
  }

  private async *resolving(executionId: string, watch: AsyncIterable<StoredEvent>): AsyncIterable<StoredEvent> {
    for await (const stored of watch) yield { ...stored, event: (await this.resolve(executionId, [stored.event], undefined)).events[0]! };
  }

  private watchRaw(executionId: string, options: WatchEventsOptions): AsyncIterable<StoredEvent> {
    const { after, blockMs, signal } = checkWatchOptions(executionId, options);
    const key = this.keys.events(executionId);
    return watchStream({
      client: this.client,
      key,
      after,
      blockMs,
      signal,
      decode: (entry) => this.entryToEvent(entry, executionId),
      firstEvent: async () => {
        const [first] = await this.run('watchEvents', () => this.client.xrangeBuffer(key, '-', '+', 'COUNT', 1));
        return first ? this.entryToEvent(first, executionId) : undefined;
      },
    });
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => undefined);
  }

  // Claim-checked payloads of these records, fetched (one HMGET) and put back.
  private resolve<S extends WorkflowState | undefined>(executionId: string, events: WorkflowEvent[], state: S): Promise<{ events: WorkflowEvent[]; state: S }> {
    return resolveClaims(executionId, events, state, async (hashes) =>
      (await this.run('readBlobs', () => this.client.hmgetBuffer(this.keys.blobs(executionId), ...hashes))).map((b) => (b ? asUint8Array(b) : undefined)),
    );
  }

  private entryToEvent(entry: RawEntry, executionId: string): WorkflowEvent {
    return decodeStreamEntry(entry[0].toString('latin1'), entry[1], executionId);
  }

  private async eventsAt(executionId: string, sequences: number[]): Promise<Map<number, WorkflowEvent>> {
    const key = this.keys.events(executionId);
    const replies = await this.pipelined('readState', (p) => {
      p.xrangeBuffer(key, '-', '+', 'COUNT', 1);
      for (const seq of sequences) p.xrangeBuffer(key, entryIdOf(seq), entryIdOf(seq));
    });
    const [firstEntry] = replies[0] ?? [];
    const first = firstEntry ? this.entryToEvent(firstEntry, executionId) : undefined;
    const found = new Map<number, WorkflowEvent>();
    replies.slice(1).forEach((entries, index) => {
      const entry = entries?.[0];
      if (entry) found.set(sequences[index]!, withContext([this.entryToEvent(entry, executionId)], first)[0]!);
    });
    return found;
  }

  /** Runs XRANGE commands in one round trip; a failed command is a StorageFailureError. */
  private async pipelined(operation: string, add: (pipeline: ReturnType<RedisClient['pipeline']>) => void): Promise<(RawEntry[] | undefined)[]> {
    const pipeline = this.client.pipeline();
    add(pipeline);
    const replies = (await this.run(operation, () => pipeline.exec())) ?? [];
    return replies.map(([error, entries]) => {
      if (error) throw new StorageFailureError(operation, { cause: error });
      return entries as RawEntry[] | undefined;
    });
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StorageFailureError(operation, { cause: error });
    }
  }
}
