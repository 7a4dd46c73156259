import { Cluster, Redis } from 'ioredis';
import { InvalidArgumentError, StorageFailureError, StoreError } from '../errors/store-errors.js';
import { assertValidTenantId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { createScriptRunner } from '../redis/redis-client.js';
import { assertValidSample, buildReport, checkReadOptions, DEFAULT_STATS_RETENTION_MS, expiresAt, hourOf, sampleIncrements } from './stats-record.js';
import { recordStatsScript } from './stats-scripts.js';
import type { ReadStatsOptions, StatsReport, StatsSample, StatsStore } from './stats-store.js';

/** Options of {@link RedisStatsStore}. */
export interface RedisStatsStoreOptions {
  /** A connected client (a `Redis` or a `Cluster`), or a URL (default `redis://localhost:6379`) for a client the store owns and closes. */
  readonly redis?: Redis | Cluster | string;
  /** Deployment namespace prepended to every key, e.g. `prod:`. Default none. */
  readonly keyPrefix?: string;
  /** How long an hour's statistics are kept after the hour ends. Default 7 days. */
  readonly retentionMs?: number;
  /** The step queue's BullMQ prefix (`FLUNQ_QUEUE_PREFIX`), to tell queue keys in {@link RedisStatsStore.memoryByKind}. Default `{flunq}`. */
  readonly queuePrefix?: string;
  /** The clock that decides whether an hour is past its retention. Default `Date.now`. */
  readonly now?: () => number;
}

/** The kinds of keys {@link RedisStatsStore.memoryByKind} tells apart. */
export const KEY_KINDS = ['state', 'events', 'snapshots', 'blobs', 'definitions', 'executions', 'search', 'stats', 'queue', 'other'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Default of {@link MemoryByKindOptions.maxKeys}. */
export const DEFAULT_MEMORY_SCAN_KEYS = 10_000;

/** Options of {@link RedisStatsStore.memoryByKind}. */
export interface MemoryByKindOptions {
  /** Only this tenant's keys (no queue, no `other`). Default: every key of the deployment. */
  readonly tenantId?: string;
  /** Most keys SCAN examines (over all nodes), default {@link DEFAULT_MEMORY_SCAN_KEYS}. */
  readonly maxKeys?: number;
}

/** Keys and bytes (`MEMORY USAGE`) of one kind. Estimates when {@link MemoryByKind.sampled}. */
export interface KindUsage {
  readonly keys: number;
  readonly bytes: number;
}

/** Redis memory by kind of key. */
export interface MemoryByKind {
  readonly kinds: Readonly<Record<KeyKind, KindUsage>>;
  readonly totalBytes: number;
  /** Keys SCAN returned (of every deployment on the server). */
  readonly keysExamined: number;
  /**
   * True when the scan stopped at `maxKeys` before the end: the numbers are then the measured
   * ones scaled by (keys on the node / keys examined), node by node.
   */
  readonly sampled: boolean;
  readonly maxKeys: number;
}

interface Classified {
  readonly kind: KeyKind;
  /** Tenant of a tenant-tagged key. */
  readonly tenantId?: string;
  /** Execution of a per-execution key. */
  readonly executionId?: string;
}

/** The kind of a key (without the deployment prefix), with its tenant or execution when the name says. */
export function classifyKey(name: string): Classified {
  const execution = /^(?:workflow:state|events:workflow|workflow:snapshots|workflow:blobs):\{([^}]+)\}$/.exec(name);
  if (execution) {
    const kind: KeyKind = name.startsWith('workflow:state:') ? 'state' : name.startsWith('events:') ? 'events' : name.startsWith('workflow:blobs:') ? 'blobs' : 'snapshots';
    return { kind, executionId: execution[1]! };
  }
  const tagged: [RegExp, KeyKind][] = [
    [/^workflow:definition(?:s|:versions)?:\{([^/}]+)[/}]/, 'definitions'],
    [/^(?:executions|execution:summary):\{([^}]+)\}/, 'executions'],
    [/^search:[a-z]+:\{([^}]+)\}/, 'search'],
    [/^stats:\{([^}]+)\}/, 'stats'],
  ];
  for (const [pattern, kind] of tagged) {
    const match = pattern.exec(name);
    if (match) return { kind, tenantId: match[1]! };
  }
  return { kind: 'other' };
}

/**
 * The Redis adapter of {@link StatsStore}: one HASH per tenant and hour
 * (`stats:{<tenantId>}:hour:<hour>`) updated by one Lua script per sample, expiring with the
 * retention; a read is one pipeline of HGETALLs on one slot. Also measures Redis memory by
 * kind of key ({@link RedisStatsStore.memoryByKind}). See docs/io-api.md, "Statistics".
 */
export class RedisStatsStore implements StatsStore {
  readonly keys: KeyBuilder;
  private readonly client: Redis | Cluster;
  private readonly ownsClient: boolean;
  private readonly retentionMs: number;
  private readonly queuePrefix: string;
  private readonly now: () => number;
  private readonly recordScript: ReturnType<typeof createScriptRunner>;

  constructor(options: RedisStatsStoreOptions = {}) {
    this.keys = createKeyBuilder(options.keyPrefix);
    const redis = options.redis ?? 'redis://localhost:6379';
    this.ownsClient = typeof redis === 'string';
    this.client = typeof redis === 'string' ? new Redis(redis) : redis;
    this.retentionMs = options.retentionMs ?? DEFAULT_STATS_RETENTION_MS;
    this.queuePrefix = options.queuePrefix ?? '{flunq}';
    this.now = options.now ?? Date.now;
    this.recordScript = createScriptRunner(this.client, recordStatsScript);
  }

  async record(tenantId: string, sample: StatsSample): Promise<void> {
    assertValidSample(tenantId, sample);
    const hour = hourOf(sample.atMs);
    const expiry = expiresAt(hour, this.retentionMs);
    if (expiry <= this.now()) return;
    const args = [String(expiry), ...[...sampleIncrements(sample)].flatMap(([field, by]) => [field, String(by)])];
    await this.run('record', () => this.recordScript([this.keys.statsHour(tenantId, hour)], args));
  }

  async read(tenantId: string, options: ReadStatsOptions): Promise<StatsReport> {
    const o = checkReadOptions(tenantId, options);
    const replies = await this.run('read', async () => {
      const pipeline = this.client.pipeline();
      for (const hour of o.hours) pipeline.hgetall(this.keys.statsHour(tenantId, hour));
      return (await pipeline.exec()) ?? [];
    });
    const hashes = replies.map(([error, value]) => {
      if (error) throw new StorageFailureError('stats read', { cause: error });
      return new Map(Object.entries((value ?? {}) as Record<string, string>).map(([field, count]) => [field, Number(count)]));
    });
    return buildReport(o, hashes);
  }

  /**
   * Redis memory by kind of key (`MEMORY USAGE`, computed now): SCANs every master, at most
   * `maxKeys` keys in all, keeping the deployment's keys (its key prefix, and the step queue's
   * prefix). With a tenant: its tenant-tagged keys, and its executions' state, events and
   * snapshots (told by the tenant's execution index). Stops early on a large keyspace and
   * scales (see {@link MemoryByKind.sampled}).
   * @throws InvalidIdError (tenant), InvalidArgumentError (maxKeys), StorageFailureError
   */
  async memoryByKind(options: MemoryByKindOptions = {}): Promise<MemoryByKind> {
    const { tenantId, maxKeys = DEFAULT_MEMORY_SCAN_KEYS } = options;
    if (tenantId !== undefined) assertValidTenantId(tenantId);
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new InvalidArgumentError('maxKeys', `must be a positive integer, got ${String(maxKeys)}`);
    const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    const budget = Math.max(1, Math.ceil(maxKeys / nodes.length));
    const kinds = Object.fromEntries(KEY_KINDS.map((kind) => [kind, { keys: 0, bytes: 0 }])) as Record<KeyKind, { keys: number; bytes: number }>;
    let examined = 0;
    let sampled = false;
    await this.run('memoryByKind', async () => {
      for (const node of nodes) {
        const { keys, complete } = await scanNode(node, budget);
        examined += keys.length;
        const mine = await this.ownKeys(keys, tenantId);
        const measured = await measure(node, mine.map((k) => k.key));
        let scale = 1;
        if (!complete) {
          sampled = true;
          scale = Math.max(1, (await node.dbsize()) / Math.max(1, keys.length));
        }
        mine.forEach(({ kind }, i) => {
          const bytes = measured[i];
          if (bytes === undefined) return;
          kinds[kind].keys += scale;
          kinds[kind].bytes += bytes * scale;
        });
      }
    });
    const rounded = Object.fromEntries(KEY_KINDS.map((kind) => [kind, { keys: Math.round(kinds[kind].keys), bytes: Math.round(kinds[kind].bytes) }])) as Record<KeyKind, KindUsage>;
    return { kinds: rounded, totalBytes: KEY_KINDS.reduce((sum, kind) => sum + rounded[kind].bytes, 0), keysExamined: examined, sampled, maxKeys };
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => undefined);
  }

  /** The keys of this deployment (and tenant) among `keys`, with their kinds. */
  private async ownKeys(keys: readonly string[], tenantId: string | undefined): Promise<{ key: string; kind: KeyKind }[]> {
    const prefix = this.keys.prefix;
    const found: { key: string; kind: KeyKind; executionId?: string }[] = [];
    for (const key of keys) {
      if (key.startsWith(`${this.queuePrefix}:`)) {
        if (tenantId === undefined) found.push({ key, kind: 'queue' });
        continue;
      }
      if (!key.startsWith(prefix)) continue;
      const c = classifyKey(key.slice(prefix.length));
      if (tenantId === undefined) found.push({ key, kind: c.kind });
      else if (c.tenantId === tenantId) found.push({ key, kind: c.kind });
      else if (c.executionId !== undefined) found.push({ key, kind: c.kind, executionId: c.executionId });
    }
    if (tenantId === undefined) return found;
    // Per-execution keys name no tenant: keep those of executions in the tenant's index.
    const candidates = found.filter((k) => k.executionId !== undefined);
    if (candidates.length === 0) return found;
    const indexKey = this.keys.executions(tenantId);
    const owned = new Set<string>();
    for (let i = 0; i < candidates.length; i += 1000) {
      const batch = candidates.slice(i, i + 1000);
      const pipeline = this.client.pipeline();
      for (const k of batch) pipeline.zscore(indexKey, k.executionId!);
      const replies = (await pipeline.exec()) ?? [];
      replies.forEach(([error, score], j) => {
        if (error) throw error;
        if (score !== null) owned.add(batch[j]!.executionId!);
      });
    }
    return found.filter((k) => k.executionId === undefined || owned.has(k.executionId));
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StorageFailureError(`stats ${operation}`, { cause: error });
    }
  }
}

/** SCANs one node until `budget` keys or the end; `complete` when it reached the end. */
async function scanNode(node: Redis, budget: number): Promise<{ keys: string[]; complete: boolean }> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'COUNT', Math.min(1000, budget));
    for (const key of batch) keys.add(key);
    cursor = next;
  } while (cursor !== '0' && keys.size < budget);
  return { keys: [...keys], complete: cursor === '0' };
}

/** `MEMORY USAGE` of each key on its node (undefined for a key gone meanwhile). */
async function measure(node: Redis, keys: readonly string[]): Promise<(number | undefined)[]> {
  const sizes: (number | undefined)[] = [];
  for (let i = 0; i < keys.length; i += 1000) {
    const pipeline = node.pipeline();
    for (const key of keys.slice(i, i + 1000)) pipeline.call('MEMORY', 'USAGE', key);
    for (const [error, bytes] of (await pipeline.exec()) ?? []) sizes.push(error || typeof bytes !== 'number' ? undefined : bytes);
  }
  return sizes;
}
