import { createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import { assertValidSample, buildReport, checkReadOptions, DEFAULT_STATS_RETENTION_MS, expiresAt, hourOf, sampleIncrements } from './stats-record.js';
import type { ReadStatsOptions, StatsReport, StatsSample, StatsStore } from './stats-store.js';

/** Options of {@link MemoryStatsStore}. */
export interface MemoryStatsStoreOptions {
  /** How long an hour's statistics are kept after the hour ends. Default 7 days. */
  readonly retentionMs?: number;
  /** The clock expiry is measured with. Default `Date.now`. */
  readonly now?: () => number;
}

/** Everything a {@link MemoryStatsStore} holds: hour hashes by the Redis key they would have, with their expiry. */
export type MemoryStatsDump = ReadonlyMap<string, { readonly fields: ReadonlyMap<string, number>; readonly expiresAtMs: number }>;

/**
 * In-memory adapter of {@link StatsStore} with the same semantics, keys and fields as
 * {@link RedisStatsStore} (it passes the same contract suite). For other projects' tests.
 */
export class MemoryStatsStore implements StatsStore {
  readonly keys: KeyBuilder = createKeyBuilder();
  private readonly hashes = new Map<string, { fields: Map<string, number>; expiresAtMs: number }>();
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(options: MemoryStatsStoreOptions = {}) {
    this.retentionMs = options.retentionMs ?? DEFAULT_STATS_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  record(tenantId: string, sample: StatsSample): Promise<void> {
    try {
      assertValidSample(tenantId, sample);
      const hour = hourOf(sample.atMs);
      const expiresAtMs = expiresAt(hour, this.retentionMs);
      // Mirrors record-stats-1.lua: an hour already past its retention is not written.
      if (expiresAtMs <= this.now()) return Promise.resolve();
      const key = this.keys.statsHour(tenantId, hour);
      const hash = this.live(key) ?? { fields: new Map<string, number>(), expiresAtMs };
      for (const [field, by] of sampleIncrements(sample)) hash.fields.set(field, (hash.fields.get(field) ?? 0) + by);
      hash.expiresAtMs = expiresAtMs;
      this.hashes.set(key, hash);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  read(tenantId: string, options: ReadStatsOptions): Promise<StatsReport> {
    try {
      const o = checkReadOptions(tenantId, options);
      const hashes = o.hours.map((hour) => this.live(this.keys.statsHour(tenantId, hour))?.fields ?? new Map<string, number>());
      return Promise.resolve(buildReport(o, hashes));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Test hook: every live hash (a copy). */
  inspect(): MemoryStatsDump {
    const live = [...this.hashes.keys()].flatMap((key) => {
      const hash = this.live(key);
      return hash ? [[key, { fields: new Map(hash.fields), expiresAtMs: hash.expiresAtMs }] as const] : [];
    });
    return new Map(live);
  }

  private live(key: string): { fields: Map<string, number>; expiresAtMs: number } | undefined {
    const hash = this.hashes.get(key);
    if (hash && hash.expiresAtMs <= this.now()) {
      this.hashes.delete(key);
      return undefined;
    }
    return hash;
  }
}
