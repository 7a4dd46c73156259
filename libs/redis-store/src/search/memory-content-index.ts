import { assertValidId, assertValidTenantId, createKeyBuilder, type KeyBuilder } from '../keys/key-builder.js';
import type { ContentIndex, IndexTerms, SearchOptions, SearchPage, SearchPlan } from './content-index.js';
import {
  checkPlan,
  checkSearchOptions,
  checkTerms,
  compareSearchOrder,
  decodeTermsRecord,
  diffEntries,
  encodeSearchCursor,
  encodeTermsRecord,
  indexEntries,
  inRange,
  recordBytes,
  termSha1,
  type IndexEntry,
  type SearchPosition,
} from './search-record.js';

/** Everything a {@link MemoryContentIndex} holds, by the Redis key and type the Redis adapter would use. */
export interface MemoryContentIndexDump {
  readonly strings: ReadonlyMap<string, string>;
  readonly sets: ReadonlyMap<string, ReadonlySet<string>>;
  readonly zsets: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * In-memory adapter of {@link ContentIndex} with the same semantics, keys and stored values
 * as {@link RedisContentIndex} (it passes the same contract suite). For other projects'
 * unit tests; single process, no persistence.
 */
export class MemoryContentIndex implements ContentIndex {
  /** Key names, as the Redis adapter without prefix would use them. */
  readonly keys: KeyBuilder = createKeyBuilder();
  private readonly strings = new Map<string, string>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly zsets = new Map<string, Map<string, number>>();

  replace(tenantId: string, executionId: string, createdAtMs: number, terms: IndexTerms): Promise<void> {
    return attempt(() => {
      const record = checkTerms(tenantId, executionId, createdAtMs, terms);
      this.write(tenantId, executionId, encodeTermsRecord(record), createdAtMs, indexEntries(this.keys, tenantId, executionId, record));
    });
  }

  remove(tenantId: string, executionId: string): Promise<void> {
    return attempt(() => {
      assertValidTenantId(tenantId);
      assertValidId(executionId);
      this.write(tenantId, executionId, '', 0, []);
    });
  }

  search(tenantId: string, plan: SearchPlan, options?: SearchOptions): Promise<SearchPage> {
    return attempt(() => {
      assertValidTenantId(tenantId);
      checkPlan(plan);
      const o = checkSearchOptions(options);
      const all = this.zsets.get(this.keys.searchAll(tenantId)) ?? new Map<string, number>();
      const matches = this.evaluate(tenantId, plan, all);
      const ordered: SearchPosition[] = [...matches]
        .filter((id) => all.has(id))
        .map((executionId) => ({ executionId, createdAtMs: all.get(executionId)! }))
        .filter((p) => (o.createdFromMs === undefined || p.createdAtMs >= o.createdFromMs) && (o.createdToMs === undefined || p.createdAtMs < o.createdToMs))
        .filter((p) => o.after === undefined || compareSearchOrder(p, o.after) > 0)
        .sort(compareSearchOrder);
      const page = ordered.slice(0, o.limit);
      const ids = page.map((p) => p.executionId);
      return ordered.length > o.limit ? { ids, nextCursor: encodeSearchCursor(page[page.length - 1]!) } : { ids };
    });
  }

  indexBytes(tenantId: string, executionId: string): Promise<number> {
    return attempt(() => {
      const raw = this.strings.get(this.keys.searchTerms(tenantId, executionId));
      if (raw === undefined) return 0;
      return recordBytes(raw, indexEntries(this.keys, tenantId, executionId, decodeTermsRecord(`${tenantId}/${executionId}`, raw)));
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Test hook: everything stored, by the key and type Redis would hold it under (a copy). */
  inspect(): MemoryContentIndexDump {
    return {
      strings: new Map(this.strings),
      sets: new Map([...this.sets].map(([key, set]) => [key, new Set(set)])),
      zsets: new Map([...this.zsets].map(([key, set]) => [key, new Map(set)])),
    };
  }

  // Mirrors RedisContentIndex.write + replace-terms.lua.
  private write(tenantId: string, executionId: string, next: string, createdAtMs: number, entries: IndexEntry[]): void {
    const recordKey = this.keys.searchTerms(tenantId, executionId);
    const raw = this.strings.get(recordKey) ?? '';
    if (raw === next) return;
    const before = raw === '' ? [] : indexEntries(this.keys, tenantId, executionId, decodeTermsRecord(`${tenantId}/${executionId}`, raw));
    const { removed, added } = diffEntries(before, entries);
    for (const e of removed) {
      if (e.type === 'set') this.srem(e.key, e.member);
      else this.zrem(e.key, e.member);
    }
    for (const e of added) {
      if (e.type === 'set') this.sets.set(e.key, (this.sets.get(e.key) ?? new Set<string>()).add(e.member));
      else this.zadd(e.key, e.member, e.score);
    }
    const allKey = this.keys.searchAll(tenantId);
    if (next === '') {
      this.strings.delete(recordKey);
      this.zrem(allKey, executionId);
    } else {
      this.strings.set(recordKey, next);
      this.zadd(allKey, executionId, createdAtMs);
    }
  }

  private zadd(key: string, member: string, score: number): void {
    this.zsets.set(key, (this.zsets.get(key) ?? new Map<string, number>()).set(member, score));
  }

  private zrem(key: string, member: string): void {
    const set = this.zsets.get(key);
    set?.delete(member);
    if (set?.size === 0) this.zsets.delete(key);
  }

  private srem(key: string, member: string): void {
    const set = this.sets.get(key);
    set?.delete(member);
    if (set?.size === 0) this.sets.delete(key);
  }

  // The plan's meaning, evaluated directly on the sets (the Redis adapter computes the same with Z*STORE).
  private evaluate(tenantId: string, plan: SearchPlan, all: ReadonlyMap<string, number>): Set<string> {
    if ('eq' in plan) return new Set(this.sets.get(this.keys.searchEq(tenantId, termSha1(plan.eq))));
    if ('has' in plan) return new Set(this.sets.get(this.keys.searchHas(tenantId, plan.has)));
    if ('all' in plan) return new Set(all.keys());
    if ('range' in plan) {
      const ids = new Set<string>();
      for (const [member, score] of this.zsets.get(this.keys.searchNum(tenantId, plan.range.field)) ?? []) {
        if (inRange(score, plan.range)) ids.add(member.slice(0, member.indexOf('\0')));
      }
      return ids;
    }
    if ('prefix' in plan) {
      const prefix = utf8(plan.prefix.value);
      const ids = new Set<string>();
      for (const member of (this.zsets.get(this.keys.searchStr(tenantId, plan.prefix.field)) ?? new Map<string, number>()).keys()) {
        const bytes = utf8(member);
        if (bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix)) {
          ids.add(bytes.subarray(bytes.indexOf(0, prefix.length) + 1).toString('utf8'));
        }
      }
      return ids;
    }
    if ('not' in plan) {
      const child = this.evaluate(tenantId, plan.not, all);
      return new Set([...all.keys()].filter((id) => !child.has(id)));
    }
    if ('and' in plan) {
      let result = new Set(all.keys());
      for (const child of plan.and) {
        const ids = this.evaluate(tenantId, child, all);
        result = new Set([...result].filter((id) => ids.has(id)));
      }
      return result;
    }
    const result = new Set<string>();
    for (const child of plan.or) for (const id of this.evaluate(tenantId, child, all)) result.add(id);
    return result;
  }
}

function attempt<T>(body: () => T): Promise<T> {
  try {
    return Promise.resolve(body());
  } catch (error) {
    return Promise.reject(error);
  }
}
